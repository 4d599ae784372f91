import { createRoute, z } from "@hono/zod-openapi";
import type { ServerCapabilitiesRepository } from "../../domain/servers/server-capabilities.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, isoOrNull, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });
const Item = z.record(z.string(), z.unknown());

const CapabilitiesSchema = z
  .object({
    serverId: z.string(),
    discoveredAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "When discovery last ran; null if it never did" }),
    revision: z
      .number()
      .int()
      .openapi({ description: "How many discoveries ran (0: none yet); grows at each refresh" }),
    protocolVersion: z.string().nullable(),
    serverInfo: Item.nullable().openapi({ description: "The server's `serverInfo`" }),
    capabilities: Item.nullable().openapi({ description: "The server's `ServerCapabilities`" }),
    instructions: z.string().nullable(),
    tools: z.array(Item).openapi({ description: "As `tools/list` returned them" }),
    resources: z.array(Item),
    resourceTemplates: z.array(Item),
    prompts: z.array(Item),
    error: z.string().nullable().openapi({
      description: "Why the last discovery failed; the lists are then the previous ones",
    }),
  })
  .openapi("ServerCapabilities");

const get = createRoute({
  method: "get",
  path: "/servers/{serverId}/capabilities",
  tags: ["Servers"],
  summary: "What the server offers: its tools, resources, templates and prompts",
  ...secured(
    "servers:read",
    "Learned by connecting to the server as an MCP client when it starts running, and again shortly after it announces that a list changed. A server never discovered answers 200 with `discoveredAt: null`, `revision: 0` and empty lists.",
  ),
  request: { params: Params },
  responses: {
    200: jsonContent(CapabilitiesSchema, "The last discovery's findings"),
    ...errorResponses(401, 403, 404),
  },
});

export function createCapabilityRoutes(deps: {
  servers: Pick<ServerService, "authorized">;
  capabilities: Pick<ServerCapabilitiesRepository, "find">;
}) {
  return newRouter().openapi(get, async (c) => {
    const { serverId } = c.req.valid("param");
    await deps.servers.authorized(actorOf(c), serverId, "read");
    const found = await deps.capabilities.find(serverId);
    return c.json(
      {
        serverId,
        discoveredAt: isoOrNull(found?.discoveredAt ?? null),
        revision: found?.revision ?? 0,
        protocolVersion: found?.protocolVersion ?? null,
        serverInfo: found?.serverInfo ?? null,
        capabilities: found?.capabilities ?? null,
        instructions: found?.instructions ?? null,
        tools: (found?.tools ?? []) as Array<Record<string, unknown>>,
        resources: (found?.resources ?? []) as Array<Record<string, unknown>>,
        resourceTemplates: (found?.resourceTemplates ?? []) as Array<Record<string, unknown>>,
        prompts: (found?.prompts ?? []) as Array<Record<string, unknown>>,
        error: found?.error ?? null,
      },
      200,
    );
  });
}
