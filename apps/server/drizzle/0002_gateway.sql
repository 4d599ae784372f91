CREATE TABLE "mcp_invocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"server_id" text NOT NULL,
	"session_id" text,
	"client_name" text,
	"client_version" text,
	"direction" text NOT NULL,
	"method" text NOT NULL,
	"target" text,
	"params" jsonb,
	"result" jsonb,
	"error" jsonb,
	"is_error" boolean DEFAULT false NOT NULL,
	"latency_ms" real,
	"started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"server_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "server_api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "server_capabilities" (
	"server_id" text PRIMARY KEY NOT NULL,
	"protocol_version" text,
	"server_info" jsonb,
	"capabilities" jsonb,
	"instructions" text,
	"tools" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resource_templates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"prompts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"discovered_at" timestamp with time zone NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "session_mode" text DEFAULT 'session' NOT NULL;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "max_sessions" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "mcp_invocations" ADD CONSTRAINT "mcp_invocations_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_api_keys" ADD CONSTRAINT "server_api_keys_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "server_capabilities" ADD CONSTRAINT "server_capabilities_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mcp_invocations_server_idx" ON "mcp_invocations" USING btree ("server_id","id");--> statement-breakpoint
CREATE INDEX "mcp_invocations_started_idx" ON "mcp_invocations" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "server_api_keys_server_idx" ON "server_api_keys" USING btree ("server_id");