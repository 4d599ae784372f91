import { z } from "zod";

/**
 * Every setting MCP Host reads, parsed once from the environment at startup.
 * This module is the only place that knows environment variable names; everything else receives
 * the frozen `Config` object.
 */
const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(7070),
  HOST: z.string().min(1).default("0.0.0.0"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  MCPHOST_DATA_DIR: z.string().min(1).default("./.mcphost"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  MCPHOST_SECRET_KEY: z
    .string()
    .min(32, "must be at least 32 characters (try: openssl rand -base64 48)")
    .optional(),
  MCPHOST_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((u) => ["", "/"].includes(new URL(u).pathname), {
      message:
        "must be an origin such as https://mcp.example.com (serving under a path is not supported)",
    })
    .optional(),
  MCPHOST_OPEN_REGISTRATION: booleanFromEnv.default(true),
  MCPHOST_TRUST_PROXY: booleanFromEnv.default(false),
  MCPHOST_METRICS_TOKEN: z.string().min(16).optional(),
  MCPHOST_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  MCPHOST_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MCPHOST_ROLES: z
    .string()
    .regex(/^(api|worker)(,(api|worker))*$/, 'must be "api", "worker" or "api,worker"')
    .default("api,worker"),
  DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp):\/\//, "must be unix:///path/to/docker.sock or tcp://host:port")
    .optional(),
  MCPHOST_NODE_IMAGE: z
    .string()
    .min(1)
    .default(`node:${process.versions.node.split(".")[0]}-bookworm-slim`),
  MCPHOST_DOCKER_NETWORK: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/)
    .default("mcphost"),
  MCPHOST_DOCKER_GPU: booleanFromEnv.default(false),
  MCPHOST_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(100 * 1024 * 1024),
  MCPHOST_FILES_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  MCPHOST_LOG_RETENTION_LINES: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  MCPHOST_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  MCPHOST_STATS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  MCPHOST_STATS_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  MCPHOST_ALLOWED_ORIGINS: z
    .string()
    .refine(
      (v) => v.split(",").every((o) => /^https?:\/\/[^/\s]+$/.test(o.trim())),
      "must be a comma-separated list of origins such as https://app.example.com",
    )
    .optional(),
  MCPHOST_SESSION_IDLE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
  MCPHOST_TRACE_RETENTION: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  MCPHOST_TRACE_MAX_BYTES: z.coerce.number().int().min(256).max(1_048_576).default(16_384),
  PATH: z.string().default(""),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  /** Absolute path of the folder holding the embedded database, the generated key and later server files. */
  readonly dataDir: string;
  /** Set: use this PostgreSQL. Unset: embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Unset only on the embedded default, where `resolveSecretKey` generates and keeps one. */
  readonly secretKey: string | undefined;
  /** Origin users reach MCP Host at, without trailing slash; cookie-authenticated writes must come from it. */
  readonly publicUrl: string;
  /** True when `MCPHOST_PUBLIC_URL` was not set and `publicUrl` is the localhost default. */
  readonly publicUrlIsDefault: boolean;
  readonly openRegistration: boolean;
  readonly trustProxy: boolean;
  readonly metricsToken: string | undefined;
  readonly sessionTtlSeconds: number;
  readonly maxBodyBytes: number;
  readonly logLevel: z.infer<typeof configSchema>["LOG_LEVEL"];
  /** Which parts this process runs: the HTTP API, the lifecycle worker, or both (default). */
  readonly roles: ReadonlySet<"api" | "worker">;
  readonly docker: {
    /** Engine address; unset: the local socket. */
    readonly host: string | undefined;
    /** Image that runs npm servers on Docker (the package is mounted into it). */
    readonly nodeImage: string;
    /** True when MCPHOST_NODE_IMAGE was not set: an unpullable default falls back to the host's node. */
    readonly nodeImageIsDefault: boolean;
    readonly network: string;
    readonly gpu: boolean;
  };
  readonly maxFileBytes: number;
  readonly filesQuotaBytes: number;
  readonly logRetentionLines: number;
  /** Usage events and status changes older than this are deleted. */
  readonly eventRetentionDays: number;
  /** CPU and memory history: how often running servers are sampled, and how long samples are kept. */
  readonly stats: {
    readonly intervalMs: number;
    readonly retentionMs: number;
  };
  /** The executable search path, for finding bubblewrap and npm. */
  readonly searchPath: string;
  readonly gateway: {
    /**
     * Origins (besides the public URL's) whose browser pages may call the MCP endpoints, and
     * hosts (their host:port) accepted in `Host`: the DNS-rebinding guard.
     */
    readonly allowedOrigins: readonly string[];
    /** An MCP session with no request for this long is ended and its upstream stopped. */
    readonly sessionIdleMs: number;
    /** Invocations kept per server; older ones are deleted. */
    readonly traceRetention: number;
    /** Params and results larger than this (JSON bytes) are stored truncated. */
    readonly traceMaxBytes: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment into a frozen Config, or throws ConfigError naming every bad setting. */
export function loadConfig(
  env: Record<string, string | undefined>,
  resolvePath: (p: string) => string,
): Config {
  // Empty strings mean "unset": `FOO= npm start` should not fail validation.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (e.MCPHOST_FILES_QUOTA_BYTES < e.MCPHOST_MAX_FILE_BYTES) {
    throw new ConfigError(["MCPHOST_FILES_QUOTA_BYTES: must be at least MCPHOST_MAX_FILE_BYTES"]);
  }
  if (!e.MCPHOST_SECRET_KEY && (e.DATABASE_URL || production)) {
    throw new ConfigError([
      `MCPHOST_SECRET_KEY is required when ${e.DATABASE_URL ? "DATABASE_URL is set" : "NODE_ENV=production"}: ` +
        "set it to a random string of at least 32 characters (openssl rand -base64 48), the same on every replica",
    ]);
  }
  const publicUrl = (e.MCPHOST_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    production,
    dataDir: resolvePath(e.MCPHOST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    secretKey: e.MCPHOST_SECRET_KEY,
    publicUrl: new URL(publicUrl).origin,
    publicUrlIsDefault: e.MCPHOST_PUBLIC_URL === undefined,
    openRegistration: e.MCPHOST_OPEN_REGISTRATION,
    trustProxy: e.MCPHOST_TRUST_PROXY,
    metricsToken: e.MCPHOST_METRICS_TOKEN,
    sessionTtlSeconds: e.MCPHOST_SESSION_TTL_HOURS * 3600,
    maxBodyBytes: e.MCPHOST_MAX_BODY_BYTES,
    logLevel: e.LOG_LEVEL,
    roles: new Set(e.MCPHOST_ROLES.split(",") as Array<"api" | "worker">),
    docker: Object.freeze({
      host: e.DOCKER_HOST,
      nodeImage: e.MCPHOST_NODE_IMAGE,
      nodeImageIsDefault: cleaned.MCPHOST_NODE_IMAGE === undefined,
      network: e.MCPHOST_DOCKER_NETWORK,
      gpu: e.MCPHOST_DOCKER_GPU,
    }),
    maxFileBytes: e.MCPHOST_MAX_FILE_BYTES,
    filesQuotaBytes: e.MCPHOST_FILES_QUOTA_BYTES,
    logRetentionLines: e.MCPHOST_LOG_RETENTION_LINES,
    eventRetentionDays: e.MCPHOST_EVENT_RETENTION_DAYS,
    stats: Object.freeze({
      intervalMs: e.MCPHOST_STATS_INTERVAL_SECONDS * 1000,
      retentionMs: e.MCPHOST_STATS_RETENTION_DAYS * 86_400_000,
    }),
    searchPath: e.PATH,
    gateway: Object.freeze({
      allowedOrigins: Object.freeze(
        (e.MCPHOST_ALLOWED_ORIGINS ?? "")
          .split(",")
          .map((o) => o.trim().replace(/\/+$/, ""))
          .filter(Boolean),
      ),
      sessionIdleMs: e.MCPHOST_SESSION_IDLE_SECONDS * 1000,
      traceRetention: e.MCPHOST_TRACE_RETENTION,
      traceMaxBytes: e.MCPHOST_TRACE_MAX_BYTES,
    }),
  });
}
