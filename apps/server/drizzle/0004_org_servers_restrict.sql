ALTER TABLE "servers" DROP CONSTRAINT "servers_owner_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_owner_org_id_orgs_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."orgs"("id") ON DELETE restrict ON UPDATE no action;