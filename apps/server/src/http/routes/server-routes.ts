import { createRoute, z } from "@hono/zod-openapi";
import type { ServerKeyService } from "../../domain/server-keys/server-key-service.js";
import type { Server } from "../../domain/servers/server.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import {
  CreatedServerSchema,
  CreateServerSchema,
  ServerSchema,
  toServerDto,
  UpdateServerSchema,
} from "./server-schemas.js";

const tags = ["Servers"];
const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });

const create = createRoute({
  method: "post",
  path: "/servers",
  tags,
  summary: "Create an MCP server (and start it unless start is false)",
  ...secured(
    "servers:write",
    "Sources: an npm package (installed once per version), an OCI image (Docker), or a host command (admins only). Past the owner's server quota the answer is 403 QUOTA_EXCEEDED. The answer carries the server's first MCP key (`apiKey`), shown only this once.",
  ),
  request: { body: jsonBody(CreateServerSchema) },
  responses: {
    201: jsonContent(CreatedServerSchema, "Created, with its first MCP key"),
    ...errorResponses(401, 403, 404, 409),
  },
});

const list = createRoute({
  method: "get",
  path: "/servers",
  tags,
  summary: "Servers I own or my organizations own (admins: all)",
  ...secured("servers:read"),
  responses: {
    200: jsonContent(z.object({ items: z.array(ServerSchema) }), "Servers"),
    ...errorResponses(401, 403),
  },
});

const get = createRoute({
  method: "get",
  path: "/servers/{serverId}",
  tags,
  summary: "One server, with its status",
  ...secured("servers:read"),
  request: { params: Params },
  responses: { 200: jsonContent(ServerSchema, "The server"), ...errorResponses(401, 403, 404) },
});

const update = createRoute({
  method: "patch",
  path: "/servers/{serverId}",
  tags,
  summary: "Change a server",
  ...secured(
    "servers:write",
    "Changes to source, transport, env, limits, network or gpu take effect at the next redeploy (redeployNeeded turns true).",
  ),
  request: { params: Params, body: jsonBody(UpdateServerSchema) },
  responses: { 200: jsonContent(ServerSchema, "Updated"), ...errorResponses(401, 403, 404) },
});

const remove = createRoute({
  method: "delete",
  path: "/servers/{serverId}",
  tags,
  summary: "Delete a server: stops it and removes its instances and files",
  ...secured("servers:write"),
  request: { params: Params },
  responses: {
    202: { description: "Removal started; the server disappears when it is done" },
    ...errorResponses(401, 403, 404),
  },
});

const action = (name: "start" | "stop" | "restart" | "redeploy", summary: string) =>
  createRoute({
    method: "post",
    path: `/servers/{serverId}/${name}`,
    tags,
    summary,
    ...secured("servers:write"),
    request: { params: Params },
    responses: {
      202: jsonContent(ServerSchema, "Accepted; watch the status"),
      ...errorResponses(401, 403, 404),
    },
  });

export function createServerRoutes(deps: {
  servers: ServerService;
  keys: Pick<ServerKeyService, "createInitial">;
  publicUrl: string;
}) {
  const { servers } = deps;
  const dto = (server: Server) => toServerDto(server, deps.publicUrl);
  const router = newRouter()
    .openapi(create, async (c) => {
      const server = await servers.create(actorOf(c), c.req.valid("json"));
      // The key is made after the server's own transaction, not inside it: that transaction holds
      // the owner's quota lock and is retried on slug clashes. Should this insert fail, the server
      // still exists (the 500 says so in the log) and its owner creates a key under /keys.
      const { key } = await deps.keys.createInitial(server);
      return c.json({ ...dto(server), apiKey: key }, 201);
    })
    .openapi(list, async (c) => {
      const items = await servers.list(actorOf(c));
      return c.json({ items: items.map(dto) }, 200);
    })
    .openapi(get, async (c) =>
      c.json(dto(await servers.get(actorOf(c), c.req.valid("param").serverId)), 200),
    )
    .openapi(update, async (c) => {
      const server = await servers.update(
        actorOf(c),
        c.req.valid("param").serverId,
        c.req.valid("json"),
      );
      return c.json(dto(server), 200);
    })
    .openapi(remove, async (c) => {
      await servers.delete(actorOf(c), c.req.valid("param").serverId);
      return c.body(null, 202);
    });
  const actions = {
    start: action("start", "Start a stopped server"),
    stop: action("stop", "Stop a server (it stays stopped until started)"),
    restart: action("restart", "Replace the running instance with a fresh one"),
    redeploy: action("redeploy", "Install again (resolving the npm version anew) and restart"),
  } as const;
  for (const [name, route] of Object.entries(actions) as Array<
    [keyof typeof actions, (typeof actions)[keyof typeof actions]]
  >) {
    router.openapi(route, async (c) => {
      const server = await servers[name](actorOf(c), c.req.valid("param").serverId);
      return c.json(dto(server), 202);
    });
  }
  return router;
}
