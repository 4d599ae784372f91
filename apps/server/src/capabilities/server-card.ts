import type { Server } from "../domain/servers/server.js";
import type { ServerCapabilities } from "../domain/servers/server-capabilities.js";

/**
 * MCP Server Cards: a static document that tells a client what a server is and how to connect to
 * it before it connects. Follows the draft of SEP-2127 as kept in the experimental server-card
 * extension (modelcontextprotocol/experimental-ext-server-card, schema.ts): identity, `remotes`
 * and `_meta` only; the draft leaves tools, resources and prompts to the live list requests, so
 * what discovery learned of them is summarised under our own `_meta` key.
 */
export const SERVER_CARD_MEDIA_TYPE = "application/mcp-server-card+json";
export const SERVER_CARD_SCHEMA =
  "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json";
/** Our `_meta` key: what MCP Host discovered by connecting to the server. */
export const DISCOVERY_META_KEY = "mcphost/discovery";

export interface ServerCardRemote {
  type: "streamable-http" | "sse";
  url: string;
  headers?: Array<{
    name: string;
    description?: string;
    isRequired?: boolean;
    isSecret?: boolean;
    placeholder?: string;
  }>;
}

export interface ServerCard {
  $schema: string;
  /** Reverse-DNS namespace of this MCP Host, a slash, the server's slug. */
  name: string;
  version: string;
  /** 1 to 100 characters, as the draft requires. */
  description: string;
  title: string;
  websiteUrl?: string;
  icons?: Array<Record<string, unknown>>;
  remotes: ServerCardRemote[];
  _meta?: Record<string, unknown>;
}

const MAX_TEXT = 100;

/** The Streamable HTTP endpoint of a server through the gateway. */
export const mcpUrlOf = (publicUrl: string, slug: string) =>
  `${publicUrl}/mcp/${encodeURIComponent(slug)}`;
/** The legacy HTTP+SSE endpoint (protocol 2024-11-05) of a server through the gateway. */
export const sseUrlOf = (publicUrl: string, slug: string) => `${mcpUrlOf(publicUrl, slug)}/sse`;
/** Where the card is served: the draft's reserved `<streamable-http-url>/server-card`. */
export const serverCardUrlOf = (publicUrl: string, slug: string) =>
  `${mcpUrlOf(publicUrl, slug)}/server-card`;

/**
 * This installation's namespace for card names: its host name, reversed (`mcp.example.com` ->
 * `com.example.mcp`); IP addresses and `localhost` stay as they are.
 */
export function cardNamespace(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, "");
  const isIp = /^[\d.]+$/.test(host) || host.includes(":");
  const ordered = isIp ? host : host.split(".").reverse().join(".");
  return ordered.replace(/[^a-zA-Z0-9.-]/g, "-");
}

function clip(text: string, max = MAX_TEXT): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== "string") return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Name, title and description of each listed item: enough to tell what a server offers. */
function summaries(items: unknown[]) {
  return items.flatMap((item) => {
    if (!item || typeof item !== "object") return [];
    const { name, title, description } = item as Record<string, unknown>;
    if (typeof name !== "string") return [];
    return [
      {
        name,
        ...(typeof title === "string" ? { title } : {}),
        ...(typeof description === "string" ? { description } : {}),
      },
    ];
  });
}

function versionOf(server: Server, discovered: ServerCapabilities | undefined): string {
  const reported = discovered?.serverInfo?.version;
  if (typeof reported === "string" && reported.trim()) return reported.slice(0, 255);
  if (server.resolvedVersion) return server.resolvedVersion;
  if (server.source.type === "npm" && server.source.version) return server.source.version;
  // The draft requires a version; this one is valid semver and says we do not know it yet.
  return "0.0.0-unknown";
}

/**
 * The card of one server. `capabilities` (from discovery) adds the version, website and icons the
 * server reports, and the `_meta` summary; without it the card still says where to connect.
 */
export function buildServerCard(input: {
  server: Server;
  capabilities?: ServerCapabilities | undefined;
  publicUrl: string;
}): ServerCard {
  const { server, publicUrl } = input;
  const discovered = input.capabilities;
  const info = discovered?.serverInfo ?? {};
  const auth: ServerCardRemote["headers"] = server.public
    ? undefined
    : [
        {
          name: "Authorization",
          description:
            "Bearer and a key of this server (mhk_...) or an access token with the mcp scope",
          isRequired: true,
          isSecret: true,
          placeholder: "Bearer mhk_...",
        },
      ];
  const remote = (type: ServerCardRemote["type"], url: string): ServerCardRemote => ({
    type,
    url,
    ...(auth ? { headers: auth } : {}),
  });
  const icons = Array.isArray(info.icons)
    ? (info.icons as unknown[]).filter(
        (i): i is Record<string, unknown> =>
          !!i && typeof i === "object" && isHttpUrl((i as Record<string, unknown>).src),
      )
    : [];

  return {
    $schema: SERVER_CARD_SCHEMA,
    name: `${cardNamespace(publicUrl)}/${server.slug}`,
    version: versionOf(server, discovered),
    description: clip(server.description) || clip(`${server.name}, an MCP server on MCP Host`),
    title: clip(server.name),
    ...(isHttpUrl(info.websiteUrl) ? { websiteUrl: info.websiteUrl } : {}),
    ...(icons.length > 0 ? { icons: icons.slice(0, 10) } : {}),
    remotes: [
      remote("streamable-http", mcpUrlOf(publicUrl, server.slug)),
      remote("sse", sseUrlOf(publicUrl, server.slug)),
    ],
    ...(discovered
      ? {
          _meta: {
            [DISCOVERY_META_KEY]: {
              discoveredAt: discovered.discoveredAt.toISOString(),
              protocolVersion: discovered.protocolVersion,
              capabilities: discovered.capabilities ?? {},
              tools: summaries(discovered.tools),
              prompts: summaries(discovered.prompts),
              resourceCount: discovered.resources.length,
              resourceTemplateCount: discovered.resourceTemplates.length,
            },
          },
        }
      : {}),
  };
}
