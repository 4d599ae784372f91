CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"concurrency_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"server_id" text NOT NULL,
	"owner_user_id" text,
	"owner_org_id" text,
	"kind" text NOT NULL,
	"details" jsonb NOT NULL,
	"time" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"server_id" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"stream" text NOT NULL,
	"line" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "servers" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_user_id" text,
	"owner_org_id" text,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" jsonb NOT NULL,
	"transport" jsonb NOT NULL,
	"env" jsonb NOT NULL,
	"limits" jsonb NOT NULL,
	"network" text NOT NULL,
	"gpu" boolean DEFAULT false NOT NULL,
	"runtime" text NOT NULL,
	"desired_state" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"sandboxed" boolean DEFAULT true NOT NULL,
	"resolved_version" text,
	"redeploy_needed" boolean DEFAULT false NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"deploy_generation" integer DEFAULT 1 NOT NULL,
	"deployed_generation" integer DEFAULT 0 NOT NULL,
	"current_instance_id" text,
	"restart_count" integer DEFAULT 0 NOT NULL,
	"restart_window_start" timestamp with time zone,
	"running_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "servers_slug_unique" UNIQUE("slug"),
	CONSTRAINT "servers_one_owner" CHECK (("servers"."owner_user_id" is null) <> ("servers"."owner_org_id" is null))
);
--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "server_quota" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "server_logs" ADD CONSTRAINT "server_logs_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_owner_org_id_orgs_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("status","run_at");--> statement-breakpoint
CREATE INDEX "jobs_concurrency_idx" ON "jobs" USING btree ("concurrency_key","status");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_one_queued_per_key" ON "jobs" USING btree ("concurrency_key") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "server_events_server_id_idx" ON "server_events" USING btree ("server_id","id");--> statement-breakpoint
CREATE INDEX "server_events_time_idx" ON "server_events" USING btree ("time");--> statement-breakpoint
CREATE INDEX "server_logs_server_id_idx" ON "server_logs" USING btree ("server_id","id");--> statement-breakpoint
CREATE INDEX "servers_owner_user_idx" ON "servers" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "servers_owner_org_idx" ON "servers" USING btree ("owner_org_id");