import { createRoute, z } from "@hono/zod-openapi";
import type { ServerRepository } from "../../domain/servers/ports.js";
import { mcpResourceUrl } from "../../gateway/unauthorized.js";
import { notFound } from "../../lib/errors.js";
import { errorResponses, idParam, jsonContent } from "../openapi.js";
import { newRouter } from "../router.js";

const ProtectedResourceSchema = z
  .object({
    resource: z.string().openapi({ example: "https://mcp.example.com/mcp/my-server" }),
    authorization_servers: z
      .array(z.string())
      .openapi({ description: "Empty until MCP Host issues OAuth tokens itself" }),
    bearer_methods_supported: z.array(z.literal("header")),
    resource_name: z.string(),
  })
  .openapi("ProtectedResourceMetadata", {
    description: "OAuth 2.0 Protected Resource Metadata (RFC 9728)",
  });

const metadata = createRoute({
  method: "get",
  path: "/.well-known/oauth-protected-resource/mcp/{slug}",
  tags: ["MCP"],
  summary: "Protected-resource metadata of a server's MCP endpoint (RFC 9728)",
  description:
    "Where MCP clients learn how to authenticate to `/mcp/{slug}`: the 401 from that endpoint points here in its `WWW-Authenticate` header. Needs no credential.",
  request: { params: z.object({ slug: idParam("slug", "my-server") }) },
  responses: {
    200: jsonContent(ProtectedResourceSchema, "The metadata"),
    ...errorResponses(404),
  },
});

/** Mounted at the root, not under /api: RFC 9728 fixes the well-known path. */
export function createProtectedResourceRoutes(deps: {
  servers: Pick<ServerRepository, "findBySlug">;
  publicUrl: string;
}) {
  return newRouter().openapi(metadata, async (c) => {
    const server = await deps.servers.findBySlug(c.req.valid("param").slug);
    if (!server) throw notFound("Server");
    return c.json(
      {
        resource: mcpResourceUrl(deps.publicUrl, server.slug),
        authorization_servers: [],
        bearer_methods_supported: ["header" as const],
        resource_name: server.name,
      },
      200,
    );
  });
}
