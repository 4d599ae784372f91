import type { Server } from "../domain/servers/server.js";
import { mcpUrlOf, SERVER_CARD_MEDIA_TYPE, serverCardUrlOf, sseUrlOf } from "./server-card.js";

/**
 * The AI Catalog (Agent-Card/ai-catalog, specification/ai-catalog.md, spec version 1.0): the list a
 * site publishes at `/.well-known/ai-catalog.json` so agents find its AI artifacts. Each of our
 * entries points at an MCP Server Card; the MCP endpoint and protocol, which a card also holds,
 * are repeated in the catalog's metadata extension so a listing needs no second request.
 */
export const AI_CATALOG_MEDIA_TYPE = "application/ai-catalog+json";
export const AI_CATALOG_SPEC_VERSION = "1.0";
/** The catalog's official extension for free key/value properties. */
export const METADATA_EXTENSION = "https://ai-catalog.org/extensions/metadata";

export interface AiCatalogEntry {
  /** `urn:air:{host}:mcp:{slug}`: the spec's domain-anchored identifier. */
  identifier: string;
  displayName: string;
  description?: string;
  type: typeof SERVER_CARD_MEDIA_TYPE;
  url: string;
  tags: string[];
  updatedAt: string;
  extensions: {
    [METADATA_EXTENSION]: {
      protocol: "mcp";
      transport: "streamable-http";
      mcpUrl: string;
      sseUrl: string;
    };
  };
}

export interface AiCatalog {
  specVersion: string;
  host: { displayName: string; identifier: string; documentationUrl: string };
  entries: AiCatalogEntry[];
}

/** The catalog of the given servers (the caller passes only those anyone may see: public ones). */
export function buildAiCatalog(input: { servers: Server[]; publicUrl: string }): AiCatalog {
  const { publicUrl } = input;
  const host = new URL(publicUrl).hostname;
  return {
    specVersion: AI_CATALOG_SPEC_VERSION,
    host: { displayName: "MCP Host", identifier: host, documentationUrl: `${publicUrl}/api/docs` },
    entries: input.servers.map((server) => ({
      identifier: `urn:air:${host}:mcp:${server.slug}`,
      displayName: server.name,
      ...(server.description ? { description: server.description } : {}),
      type: SERVER_CARD_MEDIA_TYPE,
      url: serverCardUrlOf(publicUrl, server.slug),
      tags: ["mcp"],
      updatedAt: server.updatedAt.toISOString(),
      extensions: {
        [METADATA_EXTENSION]: {
          protocol: "mcp",
          transport: "streamable-http",
          mcpUrl: mcpUrlOf(publicUrl, server.slug),
          sseUrl: sseUrlOf(publicUrl, server.slug),
        },
      },
    })),
  };
}
