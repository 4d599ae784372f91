import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { servers } from "./servers.js";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Keys that let an MCP client through the gateway to one server. Only a SHA-256 of the key is
 * kept; `prefix` (the first characters) lets a user tell keys apart without seeing them.
 */
export const serverApiKeys = pgTable(
  "server_api_keys",
  {
    id: text("id").primaryKey(),
    serverId: text("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("server_api_keys_server_idx").on(t.serverId)],
);

/**
 * One MCP request (or notification) through the gateway and what came back: the trace a user
 * reads to see what a client asked and how long it took. Bounded per server by retention.
 */
export const mcpInvocations = pgTable(
  "mcp_invocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serverId: text("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    sessionId: text("session_id"),
    clientName: text("client_name"),
    clientVersion: text("client_version"),
    /** Who sent it: `client` (to the server) or `server` (sampling, elicitation, roots...). */
    direction: text("direction", { enum: ["client", "server"] }).notNull(),
    method: text("method").notNull(),
    /** The tool, resource URI or prompt the request names, when it names one. */
    target: text("target"),
    /** Redacted and size-capped request params. */
    params: jsonb("params"),
    /** Redacted and size-capped result. */
    result: jsonb("result"),
    error: jsonb("error").$type<{ code: number; message: string; data?: unknown }>(),
    /** A tool result with `isError: true` counts as an error too. */
    isError: boolean("is_error").notNull().default(false),
    latencyMs: real("latency_ms"),
    startedAt: tz("started_at").notNull(),
  },
  (t) => [
    index("mcp_invocations_server_idx").on(t.serverId, t.id),
    index("mcp_invocations_started_idx").on(t.startedAt),
  ],
);

/**
 * What a server said about itself the last time the gateway connected to it as a client: its
 * info, capabilities and the tools, resources, templates and prompts it lists.
 */
export const serverCapabilities = pgTable("server_capabilities", {
  serverId: text("server_id")
    .primaryKey()
    .references(() => servers.id, { onDelete: "cascade" }),
  protocolVersion: text("protocol_version"),
  serverInfo: jsonb("server_info").$type<Record<string, unknown>>(),
  capabilities: jsonb("capabilities").$type<Record<string, unknown>>(),
  instructions: text("instructions"),
  tools: jsonb("tools").$type<unknown[]>().notNull().default([]),
  resources: jsonb("resources").$type<unknown[]>().notNull().default([]),
  resourceTemplates: jsonb("resource_templates").$type<unknown[]>().notNull().default([]),
  prompts: jsonb("prompts").$type<unknown[]>().notNull().default([]),
  /** Why the last discovery failed, when it did (the previous lists are kept). */
  error: text("error"),
  discoveredAt: tz("discovered_at").notNull(),
  /** Counts how many discoveries ran, so clients can tell a refresh happened. */
  revision: integer("revision").notNull().default(1),
});
