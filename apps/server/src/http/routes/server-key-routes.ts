import { createRoute, z } from "@hono/zod-openapi";
import type { ServerKeyRecord } from "../../domain/server-keys/ports.js";
import type { ServerKeyService } from "../../domain/server-keys/server-key-service.js";
import { actorOf } from "../middleware/authenticate.js";
import {
  errorResponses,
  idParam,
  iso,
  isoOrNull,
  jsonBody,
  jsonContent,
  secured,
} from "../openapi.js";
import { newRouter } from "../router.js";
import { NameSchema } from "../schemas.js";

const tags = ["Server keys"];
const ServerParams = z.object({ serverId: idParam("serverId", "srv_0abc...") });
const KeyParams = ServerParams.extend({ keyId: idParam("keyId", "key_0abc...") });

const ServerKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_0abc..." }),
    name: z.string(),
    prefix: z.string().openapi({ description: "First characters of the key, to tell keys apart" }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .openapi("ServerKey");

const CreatedServerKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_0abc..." }),
    name: z.string(),
    prefix: z.string(),
    key: z.string().openapi({
      description:
        "The key itself (mhk_...), for MCP clients as a Bearer. Shown only in this response.",
    }),
    createdAt: z.iso.datetime(),
  })
  .openapi("CreatedServerKey");

const CreateServerKeySchema = z.object({ name: NameSchema }).openapi("CreateServerKey");

const toDto = (k: ServerKeyRecord): z.infer<typeof ServerKeySchema> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
});

const toCreatedDto = (issued: {
  record: ServerKeyRecord;
  key: string;
}): z.infer<typeof CreatedServerKeySchema> => ({
  id: issued.record.id,
  name: issued.record.name,
  prefix: issued.record.prefix,
  key: issued.key,
  createdAt: iso(issued.record.createdAt),
});

const list = createRoute({
  method: "get",
  path: "/servers/{serverId}/keys",
  tags,
  summary: "A server's active MCP keys (never their values)",
  ...secured("servers:read"),
  request: { params: ServerParams },
  responses: {
    200: jsonContent(z.object({ items: z.array(ServerKeySchema) }), "Active keys, newest first"),
    ...errorResponses(401, 403, 404),
  },
});

const create = createRoute({
  method: "post",
  path: "/servers/{serverId}/keys",
  tags,
  summary: "Create an MCP key for a server (returned once)",
  ...secured(
    "servers:write",
    "MCP clients send the key as `Authorization: Bearer mhk_...` to the server's mcpUrl. A server has at most 20 active keys (403 QUOTA_EXCEEDED).",
  ),
  request: { params: ServerParams, body: jsonBody(CreateServerKeySchema) },
  responses: {
    201: jsonContent(CreatedServerKeySchema, "The new key, including its secret value"),
    ...errorResponses(401, 403, 404),
  },
});

const rotate = createRoute({
  method: "post",
  path: "/servers/{serverId}/keys/{keyId}/rotate",
  tags,
  summary: "Give a key a new secret (returned once); the old one stops working at once",
  ...secured("servers:write"),
  request: { params: KeyParams },
  responses: {
    200: jsonContent(CreatedServerKeySchema, "The key with its new secret value"),
    ...errorResponses(401, 403, 404),
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/servers/{serverId}/keys/{keyId}",
  tags,
  summary: "Revoke a key; it stops working at once",
  ...secured("servers:write"),
  request: { params: KeyParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses(401, 403, 404) },
});

export function createServerKeyRoutes(deps: { keys: ServerKeyService }) {
  const { keys } = deps;
  return newRouter()
    .openapi(list, async (c) => {
      const items = await keys.list(actorOf(c), c.req.valid("param").serverId);
      return c.json({ items: items.map(toDto) }, 200);
    })
    .openapi(create, async (c) => {
      const issued = await keys.create(
        actorOf(c),
        c.req.valid("param").serverId,
        c.req.valid("json"),
      );
      return c.json(toCreatedDto(issued), 201);
    })
    .openapi(rotate, async (c) => {
      const { serverId, keyId } = c.req.valid("param");
      return c.json(toCreatedDto(await keys.rotate(actorOf(c), serverId, keyId)), 200);
    })
    .openapi(revoke, async (c) => {
      const { serverId, keyId } = c.req.valid("param");
      await keys.revoke(actorOf(c), serverId, keyId);
      return c.body(null, 204);
    });
}
