import { z } from "@hono/zod-openapi";
import type { Server } from "../../domain/servers/server.js";
import {
  ARGS,
  DESCRIPTION_MAX_LENGTH,
  ENV_NAME,
  ENV_VALUE_MAX_LENGTH,
  HEADER_NAME,
  HEADER_VALUE_MAX_LENGTH,
  HOST_COMMAND_MAX_LENGTH,
  HTTP_PATH,
  IMAGE_REF,
  LIMITS,
  MAX_ENV_VARS,
  MAX_HEADERS,
  MAX_SESSIONS,
  NPM_PACKAGE,
  PORT,
  type RangeRule,
  REMOTE_URL,
  RESERVED_ENV_MESSAGE,
  RESERVED_ENV_PREFIX,
  SLUG,
  type TextRule,
  VERSION_SPEC,
} from "../../domain/servers/server-rules.js";
import { SERVER_STATUSES } from "../../domain/servers/server-status.js";
import { iso } from "../openapi.js";
import { NameSchema } from "../schemas.js";

// The rules themselves live in domain/servers/server-rules.ts, which the web app checks forms
// with; these schemas only turn them into zod (and so into the OpenAPI document).

/** A string following `rule`: its length first, then its pattern. */
const text = (rule: TextRule) => {
  const schema = z.string().max(rule.maxLength);
  return rule.pattern ? schema.regex(rule.pattern, rule.message) : schema;
};

/** A number within `rule`'s range. */
const range = (rule: Omit<RangeRule, "fallback">) => {
  const schema = z.number().min(rule.min).max(rule.max);
  return rule.integer ? schema.int() : schema;
};

const Args = z.array(z.string().max(ARGS.maxLength)).max(ARGS.maxCount);

const PackageName = text(NPM_PACKAGE).openapi({
  example: "@modelcontextprotocol/server-everything",
});

const VersionSpec = text(VERSION_SPEC).openapi({ example: "2026.8.31" });

const ImageRef = text(IMAGE_REF).openapi({ example: "ghcr.io/acme/mcp-server:1.0" });

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
      command: z.string().min(1).max(HOST_COMMAND_MAX_LENGTH),
      args: Args.optional(),
    }),
    z.object({
      type: z.literal("remote"),
      url: z
        .url({ protocol: /^https?$/ })
        .max(REMOTE_URL.maxLength)
        .openapi({
          description: "The remote server's Streamable HTTP endpoint (https)",
        }),
      headers: z
        .record(text(HEADER_NAME), z.string().max(HEADER_VALUE_MAX_LENGTH))
        .refine((h) => Object.keys(h).length <= MAX_HEADERS, `at most ${MAX_HEADERS} headers`)
        .optional()
        .openapi({
          description:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax users write
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
      port: range(PORT),
      path: z
        .string()
        .startsWith(HTTP_PATH.prefix)
        .max(HTTP_PATH.maxLength)
        .default(HTTP_PATH.fallback),
    }),
  ])
  .openapi("ServerTransport", {
    description: '"stdio", or {type: "http", port, path} for servers speaking Streamable HTTP',
  });

const EnvKey = text(ENV_NAME).refine(
  (k) => !k.startsWith(RESERVED_ENV_PREFIX),
  RESERVED_ENV_MESSAGE,
);

const EnvValue = z.string().max(ENV_VALUE_MAX_LENGTH);

const EnvSchema = z
  .record(EnvKey, EnvValue)
  .refine((env) => Object.keys(env).length <= MAX_ENV_VARS, `at most ${MAX_ENV_VARS} variables`);

export const LimitsSchema = z
  .object({
    memoryMb: range(LIMITS.memoryMb).optional(),
    cpus: range(LIMITS.cpus).optional(),
    pids: range(LIMITS.pids).optional(),
  })
  .openapi("ResourceLimitsInput");

const Slug = text(SLUG);

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
  maxSessions: range(MAX_SESSIONS)
    .optional()
    .openapi({ description: "Most MCP sessions open at once (default 50)" }),
};

export const CreateServerSchema = z
  .object({
    name: NameSchema,
    slug: Slug.optional(),
    description: z.string().max(DESCRIPTION_MAX_LENGTH).optional(),
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
    description: z.string().max(DESCRIPTION_MAX_LENGTH).optional(),
    source: SourceSchema.optional(),
    transport: TransportSchema.optional(),
    env: z
      .record(EnvKey, EnvValue.nullable())
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
