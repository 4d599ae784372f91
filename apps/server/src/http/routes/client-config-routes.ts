import { createRoute, z } from "@hono/zod-openapi";
import {
  buildClientConfig,
  CLIENT_IDS,
  SNIPPET_FORMATS,
} from "../../capabilities/client-config.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });

const ClientConfigSchema = z
  .object({
    url: z.string().openapi({ description: "The server's MCP endpoint (Streamable HTTP)" }),
    transport: z.literal("streamable-http"),
    sseUrl: z.string().openapi({ description: "The legacy HTTP+SSE endpoint (2024-11-05)" }),
    header: z
      .object({ name: z.literal("Authorization"), value: z.string() })
      .nullable()
      .openapi({ description: "The header each request carries; null for public servers" }),
    clients: z.array(
      z.object({
        id: z.enum(CLIENT_IDS),
        name: z.string(),
        format: z.enum(SNIPPET_FORMATS),
        file: z.string().optional().openapi({ description: "Where the snippet goes" }),
        snippet: z.string(),
      }),
    ),
  })
  .openapi("ClientConfig");

const get = createRoute({
  method: "get",
  path: "/servers/{serverId}/client-config",
  tags: ["Servers"],
  summary: "Ready-to-paste settings for Claude, Cursor, VS Code, Windsurf and the SDKs",
  ...secured(
    "servers:read",
    "Keys are shown only when made, so snippets hold the placeholder `<YOUR_API_KEY>` or read the key from the `MCPHOST_API_KEY` environment variable. Keys never go into URLs.",
  ),
  request: { params: Params },
  responses: {
    200: jsonContent(ClientConfigSchema, "The settings"),
    ...errorResponses(401, 403, 404),
  },
});

export function createClientConfigRoutes(deps: {
  servers: Pick<ServerService, "authorized">;
  publicUrl: string;
}) {
  return newRouter().openapi(get, async (c) => {
    const server = await deps.servers.authorized(actorOf(c), c.req.valid("param").serverId, "read");
    return c.json(buildClientConfig({ server, publicUrl: deps.publicUrl }), 200);
  });
}
