CREATE TABLE "server_stats_samples" (
	"server_id" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"cpu_percent" real NOT NULL,
	"memory_bytes" bigint NOT NULL,
	CONSTRAINT "server_stats_samples_server_id_time_pk" PRIMARY KEY("server_id","time")
);
--> statement-breakpoint
ALTER TABLE "server_stats_samples" ADD CONSTRAINT "server_stats_samples_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "server_stats_samples_time_idx" ON "server_stats_samples" USING btree ("time");