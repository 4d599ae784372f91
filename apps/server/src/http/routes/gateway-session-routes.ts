import { createRoute, z } from "@hono/zod-openapi";
import type { ServerService } from "../../domain/servers/server-service.js";
import type { GatewaySession, SessionStore } from "../../gateway/ports.js";
import type { Clock } from "../../lib/clock.js";
import { notFound } from "../../lib/errors.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, iso, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const tags = ["MCP sessions"];
const ServerParams = z.object({ serverId: idParam("serverId", "srv_0abc...") });
const SessionParams = ServerParams.extend({
  sessionId: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "sessionId", in: "path" } }),
});

const GatewaySessionSchema = z
  .object({
    id: z.string().openapi({ description: "The Mcp-Session-Id (or the HTTP+SSE sessionId)" }),
    transport: z.enum(["streamable", "sse"]),
    upstream: z.enum(["instance", "shared", "http"]).openapi({
      description: "Its own instance, the shared one, or a server speaking HTTP itself",
    }),
    instanceId: z.string().nullable().openapi({ description: "The session's own instance" }),
    client: z.object({ name: z.string(), version: z.string() }).nullable(),
    protocolVersion: z.string().nullable(),
    createdAt: z.iso.datetime(),
    lastActiveAt: z.iso.datetime(),
    ageSeconds: z.number(),
    idleSeconds: z.number(),
  })
  .openapi("McpSession");

const list = createRoute({
  method: "get",
  path: "/servers/{serverId}/sessions",
  tags,
  summary: "The MCP sessions open on a server through the gateway",
  ...secured("servers:read"),
  request: { params: ServerParams },
  responses: {
    200: jsonContent(z.object({ items: z.array(GatewaySessionSchema) }), "Oldest first"),
    ...errorResponses(401, 403, 404),
  },
});

const end = createRoute({
  method: "delete",
  path: "/servers/{serverId}/sessions/{sessionId}",
  tags,
  summary: "End an MCP session; its own instance stops",
  ...secured("servers:write"),
  request: { params: SessionParams },
  responses: { 204: { description: "Ended" }, ...errorResponses(401, 403, 404) },
});

/** What the gateway tracks of each session, for the owner to see and end. */
export function createGatewaySessionRoutes(deps: {
  servers: ServerService;
  sessions: SessionStore;
  endSession: (id: string) => Promise<void>;
  clock: Clock;
}) {
  const seconds = (from: Date) => Math.round((deps.clock.now().getTime() - from.getTime()) / 1000);
  const toDto = (s: GatewaySession): z.infer<typeof GatewaySessionSchema> => ({
    id: s.id,
    transport: s.transport,
    upstream: s.upstream,
    instanceId: s.instanceId ?? null,
    client: s.client ?? null,
    protocolVersion: s.protocolVersion ?? null,
    createdAt: iso(s.createdAt),
    lastActiveAt: iso(s.lastActiveAt),
    ageSeconds: seconds(s.createdAt),
    idleSeconds: seconds(s.lastActiveAt),
  });
  return newRouter()
    .openapi(list, async (c) => {
      const { serverId } = c.req.valid("param");
      await deps.servers.authorized(actorOf(c), serverId, "read");
      const items = deps.sessions
        .listByServer(serverId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      return c.json({ items: items.map(toDto) }, 200);
    })
    .openapi(end, async (c) => {
      const { serverId, sessionId } = c.req.valid("param");
      await deps.servers.authorized(actorOf(c), serverId, "operate");
      if (deps.sessions.get(sessionId)?.serverId !== serverId) throw notFound("Session");
      await deps.endSession(sessionId);
      return c.body(null, 204);
    });
}
