import { createRoute, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { AI_CATALOG_MEDIA_TYPE, buildAiCatalog } from "../../capabilities/ai-catalog.js";
import { buildServerCard, SERVER_CARD_MEDIA_TYPE } from "../../capabilities/server-card.js";
import type { ServerRepository } from "../../domain/servers/ports.js";
import type { ServerCapabilitiesRepository } from "../../domain/servers/server-capabilities.js";
import type { GatewayAuth } from "../../gateway/ports.js";
import { unauthorized } from "../../gateway/unauthorized.js";
import { notFound } from "../../lib/errors.js";
import { errorResponses, idParam } from "../openapi.js";
import { newRouter } from "../router.js";

const tags = ["MCP"];
const anyJson = z.record(z.string(), z.unknown());

const card = createRoute({
  method: "get",
  path: "/mcp/{slug}/server-card",
  tags,
  summary: "The server's MCP Server Card (SEP-2127 draft)",
  description:
    "Who the server is and how to connect, before connecting: `name`, `version`, `title`, `description`, `remotes` (Streamable HTTP and the legacy SSE endpoint, with the `Authorization` header they need) and, under `_meta[\"mcphost/discovery\"]`, the capabilities, tools and prompts discovery found. Public servers' cards need no credential; other servers' need one valid for the server (its key, or an access token with the `mcp` scope), else 401.",
  request: { params: z.object({ slug: idParam("slug", "my-server") }) },
  responses: {
    200: { description: "The card", content: { [SERVER_CARD_MEDIA_TYPE]: { schema: anyJson } } },
    ...errorResponses(401, 404),
  },
});

const catalog = createRoute({
  method: "get",
  path: "/.well-known/ai-catalog.json",
  tags,
  summary: "The AI Catalog of this instance: its public MCP servers",
  description:
    "AI Catalog 1.0 (`specVersion`, `host`, `entries`). One entry per public server: `identifier` (`urn:air:{host}:mcp:{slug}`), `displayName`, `description`, `type` `application/mcp-server-card+json`, `url` of its server card, and in the metadata extension the MCP endpoint and protocol. Needs no credential.",
  responses: {
    200: { description: "The catalog", content: { [AI_CATALOG_MEDIA_TYPE]: { schema: anyJson } } },
  },
});

/** Discovery documents are public metadata that browsers on other sites may read. */
const discoveryCors = cors({
  origin: "*",
  allowMethods: ["GET"],
  allowHeaders: ["Content-Type", "Authorization"],
  maxAge: 3600,
});

/**
 * Mounted at the root: the server card sits next to the server's MCP endpoint (where the draft
 * reserves it), the catalog at its well-known path. Mount before the gateway's /mcp routes.
 */
export function createDiscoveryRoutes(deps: {
  servers: Pick<ServerRepository, "findBySlug" | "listPublic">;
  capabilities: Pick<ServerCapabilitiesRepository, "find">;
  gatewayAuth: GatewayAuth;
  publicUrl: string;
}) {
  const { publicUrl } = deps;
  const router = newRouter();
  router.use("/mcp/:slug/server-card", discoveryCors);
  router.use("/.well-known/ai-catalog.json", discoveryCors);
  return (
    router
      // c.json keeps a content-type given in its headers: the documents have their own media types.
      .openapi(card, async (c) => {
        const { slug } = c.req.valid("param");
        const server = await deps.servers.findBySlug(slug);
        if (!server || server.status === "removing") throw notFound("Server");
        if (!server.public) {
          const authorization = c.req.header("authorization");
          const credential = await deps.gatewayAuth.authenticate(server, authorization);
          if (!credential) {
            return unauthorized(c, { publicUrl, slug, invalidToken: authorization !== undefined });
          }
        }
        const capabilities = await deps.capabilities.find(server.id);
        return c.json(buildServerCard({ server, capabilities, publicUrl }), 200, {
          "content-type": SERVER_CARD_MEDIA_TYPE,
          // A private card answers one credential: no shared cache may keep it.
          "cache-control": server.public ? "public, max-age=300" : "private, no-store",
          vary: "Authorization",
        });
      })
      .openapi(catalog, async (c) => {
        const servers = (await deps.servers.listPublic()).filter((s) => s.status !== "removing");
        return c.json(buildAiCatalog({ servers, publicUrl }), 200, {
          "content-type": AI_CATALOG_MEDIA_TYPE,
          "cache-control": "public, max-age=300",
        });
      })
  );
}
