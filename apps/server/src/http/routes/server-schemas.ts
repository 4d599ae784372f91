import { z } from "@hono/zod-openapi";
import type { Server } from "../../domain/servers/server.js";
import { SERVER_STATUSES } from "../../domain/servers/server-status.js";
import { iso } from "../openapi.js";
import { NameSchema } from "../schemas.js";

const Args = z.array(z.string().max(4096)).max(64);

/** npm's own rule for package names (lower case, optional scope). */
const PackageName = z
  .string()
  .max(214)
  .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, "must be an npm package name")
  .openapi({ example: "@modelcontextprotocol/server-everything" });

/** A registry version, range or tag: never a URL, path or git spec (those would fetch anything). */
const VersionSpec = z
  .string()
  .max(64)
  .regex(/^[0-9A-Za-z.^~<>=*+| -]+$/, "must be a version, range or tag (no URLs or paths)")
  .openapi({ example: "2026.8.31" });

const ImageRef = z
  .string()
  .max(255)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/,
    "must be an image reference such as ghcr.io/org/server:1.2",
  )
  .openapi({ example: "ghcr.io/acme/mcp-server:1.0" });

export const SourceSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("npm"),
      package: PackageName,
      version: VersionSpec.optional(),
      args: Args.optional(),
    }),
    z.object({
      type: z.literal("image"),
      image: ImageRef,
      command: Args.min(1).optional(),
      args: Args.optional(),
    }),
    z.object({
      type: z.literal("command"),
      command: z.string().min(1).max(1024),
      args: Args.optional(),
    }),
    z.object({
      type: z.literal("remote"),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .openapi({
          description: "The remote server's Streamable HTTP endpoint (https)",
        }),
      headers: z
        .record(
          z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name"),
          z.string().max(8192),
        )
        .refine((h) => Object.keys(h).length <= 32, "at most 32 headers")
        .optional()
        .openapi({
          description:
            "Sent to the remote server; write secrets as ${NAME} and put them in env, which is never returned",
        }),
      allowPrivateNetwork: z.boolean().optional().openapi({
        description: "Administrators only: the URL may point at loopback or private addresses",
      }),
    }),
  ])
  .openapi("ServerSource");

export const TransportSchema = z
  .union([
    z.literal("stdio").transform(() => ({ type: "stdio" as const })),
    z.object({ type: z.literal("stdio") }),
    z.object({
      type: z.literal("http"),
      port: z.number().int().min(1).max(65535),
      path: z.string().startsWith("/").max(256).default("/mcp"),
    }),
  ])
  .openapi("ServerTransport", {
    description: '"stdio", or {type: "http", port, path} for servers speaking Streamable HTTP',
  });

const EnvKey = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be a variable name (letters, digits, underscore)")
  .refine((k) => !k.startsWith("MCPHOST_"), "names starting with MCPHOST_ are reserved");

const EnvSchema = z
  .record(EnvKey, z.string().max(32_768))
  .refine((env) => Object.keys(env).length <= 128, "at most 128 variables");

export const LimitsSchema = z
  .object({
    memoryMb: z.number().int().min(16).max(65_536).optional(),
    cpus: z.number().min(0.05).max(64).optional(),
    pids: z.number().int().min(8).max(32_768).optional(),
  })
  .openapi("ResourceLimitsInput");

const Slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (max 63)",
  );

/** How the MCP gateway serves the server: who may connect and how sessions map to upstreams. */
const GatewaySettings = {
  public: z
    .boolean()
    .optional()
    .openapi({ description: "true: MCP clients connect without a key (default false)" }),
  sessionMode: z.enum(["session", "shared"]).optional().openapi({
    description:
      'stdio servers: "session" (default) gives each client session its own process; "shared" runs one for all',
  }),
  maxSessions: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .openapi({ description: "Most MCP sessions open at once (default 50)" }),
};

export const CreateServerSchema = z
  .object({
    name: NameSchema,
    slug: Slug.optional(),
    description: z.string().max(2000).optional(),
    orgId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "Create it in this organization" }),
    source: SourceSchema,
    transport: TransportSchema.optional().openapi({
      description: "Required, except for remote sources (they speak Streamable HTTP at their URL)",
    }),
    runtime: z.enum(["process", "docker", "auto"]).optional(),
    env: EnvSchema.optional(),
    limits: LimitsSchema.optional(),
    network: z.enum(["outbound", "none"]).optional(),
    gpu: z.boolean().optional(),
    start: z.boolean().optional().openapi({ description: "false: create without starting" }),
    ...GatewaySettings,
  })
  .strict()
  .openapi("CreateServer");

export const UpdateServerSchema = z
  .object({
    name: NameSchema.optional(),
    description: z.string().max(2000).optional(),
    source: SourceSchema.optional(),
    transport: TransportSchema.optional(),
    env: z
      .record(EnvKey, z.string().max(32_768).nullable())
      .optional()
      .openapi({ description: "Merged into the current variables; null removes one" }),
    limits: LimitsSchema.optional(),
    network: z.enum(["outbound", "none"]).optional(),
    gpu: z.boolean().optional(),
    ...GatewaySettings,
  })
  .strict()
  .openapi("UpdateServer");

export const ServerSchema = z
  .object({
    id: z.string().openapi({ example: "srv_0abc..." }),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    owner: z.object({ type: z.enum(["user", "org"]), id: z.string() }),
    source: SourceSchema,
    transport: z.union([
      z.object({ type: z.literal("stdio") }),
      z.object({ type: z.literal("http"), port: z.number(), path: z.string() }),
    ]),
    runtime: z.enum(["process", "docker", "remote"]),
    envKeys: z
      .array(z.string())
      .openapi({ description: "Names of the variables; values are never returned" }),
    limits: z.object({ memoryMb: z.number(), cpus: z.number(), pids: z.number() }),
    network: z.enum(["outbound", "none"]),
    gpu: z.boolean(),
    desiredState: z.enum(["running", "stopped"]),
    status: z.enum(SERVER_STATUSES),
    statusReason: z.string().nullable(),
    sandboxed: z
      .boolean()
      .openapi({ description: "False when the runtime cannot isolate this server" }),
    resolvedVersion: z
      .string()
      .nullable()
      .openapi({ description: "The npm version pinned at the last deploy" }),
    redeployNeeded: z.boolean(),
    mcpUrl: z.string().openapi({ description: "Where MCP clients connect (Streamable HTTP)" }),
    public: z.boolean(),
    sessionMode: z.enum(["session", "shared"]),
    maxSessions: z.number(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Server");

/** The create answer: the server, plus the key its MCP clients use, shown only this once. */
export const CreatedServerSchema = ServerSchema.extend({
  apiKey: z.string().openapi({
    description:
      'The server\'s first MCP key (named "default"), for `Authorization: Bearer mhk_...`. Shown only in this response; manage keys under /api/servers/{serverId}/keys.',
  }),
}).openapi("CreatedServer");

export function toServerDto(s: Server, publicUrl: string): z.infer<typeof ServerSchema> {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    description: s.description,
    owner:
      s.owner.kind === "user"
        ? { type: "user", id: s.owner.userId }
        : { type: "org", id: s.owner.orgId },
    source: s.source as z.infer<typeof SourceSchema>,
    transport: s.transport,
    runtime: s.source.type === "remote" ? "remote" : s.runtime,
    envKeys: Object.keys(s.env).sort(),
    limits: s.limits,
    network: s.network,
    gpu: s.gpu,
    desiredState: s.desiredState,
    status: s.status,
    statusReason: s.statusReason,
    sandboxed: s.sandboxed,
    resolvedVersion: s.resolvedVersion,
    redeployNeeded: s.redeployNeeded,
    mcpUrl: `${publicUrl}/mcp/${s.slug}`,
    public: s.public,
    sessionMode: s.sessionMode,
    maxSessions: s.maxSessions,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}
