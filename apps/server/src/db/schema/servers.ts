import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ResourceLimits, ServerSource, ServerTransport } from "../../domain/servers/server.js";
import { users } from "./accounts.js";
import { orgs } from "./orgs.js";

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const servers = pgTable(
  "servers",
  {
    id: text("id").primaryKey(),
    /** Exactly one of the two owner columns is set (see the check below). */
    ownerUserId: text("owner_user_id").references(() => users.id, { onDelete: "cascade" }),
    /**
     * `restrict`: a cascade would drop the rows of servers whose instances still run. An org's
     * servers are deleted first, through the lifecycle (OrgService.delete refuses until then).
     */
    ownerOrgId: text("owner_org_id").references(() => orgs.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    description: text("description").notNull().default(""),
    source: jsonb("source").$type<ServerSource>().notNull(),
    transport: jsonb("transport").$type<ServerTransport>().notNull(),
    env: jsonb("env").$type<Record<string, string>>().notNull(),
    limits: jsonb("limits").$type<ResourceLimits>().notNull(),
    network: text("network", { enum: ["outbound", "none"] }).notNull(),
    gpu: boolean("gpu").notNull().default(false),
    runtime: text("runtime", { enum: ["process", "docker"] }).notNull(),
    desiredState: text("desired_state", { enum: ["running", "stopped"] }).notNull(),
    status: text("status").notNull(),
    statusReason: text("status_reason"),
    sandboxed: boolean("sandboxed").notNull().default(true),
    resolvedVersion: text("resolved_version"),
    redeployNeeded: boolean("redeploy_needed").notNull().default(false),
    /** A public server takes MCP clients without a key. */
    public: boolean("public").notNull().default(false),
    /** stdio servers: one upstream per client session (`session`) or one for all (`shared`). */
    sessionMode: text("session_mode", { enum: ["session", "shared"] })
      .notNull()
      .default("session"),
    /** Most MCP sessions open at once through the gateway. */
    maxSessions: integer("max_sessions").notNull().default(50),
    /** Bumped by restart and redeploy; an instance of an older generation gets replaced. */
    generation: integer("generation").notNull().default(1),
    /** Bumped by redeploy only: the package is installed (or image pulled) again. */
    deployGeneration: integer("deploy_generation").notNull().default(1),
    deployedGeneration: integer("deployed_generation").notNull().default(0),
    currentInstanceId: text("current_instance_id"),
    /** Crash bookkeeping for backoff: restarts in the current streak, and when it started. */
    restartCount: integer("restart_count").notNull().default(0),
    restartWindowStart: tz("restart_window_start"),
    runningSince: tz("running_since"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("servers_one_owner", sql`(${t.ownerUserId} is null) <> (${t.ownerOrgId} is null)`),
    index("servers_owner_user_idx").on(t.ownerUserId),
    index("servers_owner_org_idx").on(t.ownerOrgId),
  ],
);

/** Output of servers and every lifecycle step, kept up to a retention limit per server. */
export const serverLogs = pgTable(
  "server_logs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serverId: text("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    time: tz("time").notNull(),
    stream: text("stream", { enum: ["stdout", "stderr", "system"] }).notNull(),
    line: text("line").notNull(),
  },
  (t) => [index("server_logs_server_id_idx").on(t.serverId, t.id)],
);

/**
 * Usage events (create, deploy, start, stop, restart, crash, delete, install, pull) and status
 * changes. Not tied to the server row by a foreign key: the record of a deletion outlives the server.
 */
export const serverEvents = pgTable(
  "server_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serverId: text("server_id").notNull(),
    ownerUserId: text("owner_user_id"),
    ownerOrgId: text("owner_org_id"),
    kind: text("kind").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    time: tz("time").notNull(),
  },
  (t) => [
    index("server_events_server_id_idx").on(t.serverId, t.id),
    index("server_events_time_idx").on(t.time),
  ],
);

/**
 * CPU and memory of each running server's instance, sampled every few seconds by the worker and
 * kept for a retention period, for the dashboard's charts.
 */
export const serverStatsSamples = pgTable(
  "server_stats_samples",
  {
    serverId: text("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    time: tz("time").notNull(),
    cpuPercent: real("cpu_percent").notNull(),
    memoryBytes: bigint("memory_bytes", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.serverId, t.time] }),
    index("server_stats_samples_time_idx").on(t.time),
  ],
);

/** The durable job queue: lifecycle work survives restarts and runs once at a time per server. */
export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    /** Jobs with the same key never run concurrently (a server id, for lifecycle jobs). */
    concurrencyKey: text("concurrency_key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAt: tz("run_at").notNull(),
    lockedBy: text("locked_by"),
    lockedUntil: tz("locked_until"),
    lastError: text("last_error"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("jobs_due_idx").on(t.status, t.runAt),
    index("jobs_concurrency_idx").on(t.concurrencyKey, t.status),
    // At most one queued job per key: enqueueing again coalesces into it (see jobs/job-queue.ts).
    uniqueIndex("jobs_one_queued_per_key").on(t.concurrencyKey).where(sql`status = 'queued'`),
  ],
);
