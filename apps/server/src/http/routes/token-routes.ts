import { createRoute, z } from "@hono/zod-openapi";
import type { AccessTokenService } from "../../domain/accounts/access-token-service.js";
import type { AccessTokenRecord } from "../../domain/accounts/ports.js";
import type { Scope } from "../../domain/accounts/scopes.js";
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
import { NameSchema, ScopeSchema } from "../schemas.js";

const tags = ["Tokens"];

const TokenSchema = z
  .object({
    id: z.string().openapi({ example: "pat_0abc..." }),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "First characters of the token, to tell tokens apart" }),
    scopes: z.array(ScopeSchema),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .openapi("AccessToken");

const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().openapi({ description: "The token itself. Shown only in this response." }),
}).openapi("CreatedAccessToken");

const CreateTokenSchema = z
  .object({
    name: NameSchema,
    scopes: z.array(ScopeSchema).min(1, "must list at least one scope").max(20),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .openapi("CreateAccessToken");

const toDto = (t: AccessTokenRecord): z.infer<typeof TokenSchema> => ({
  id: t.id,
  name: t.name,
  prefix: t.tokenPrefix,
  scopes: t.scopes as Scope[],
  createdAt: iso(t.createdAt),
  expiresAt: isoOrNull(t.expiresAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
});

const create = createRoute({
  method: "post",
  path: "/tokens",
  tags,
  summary: "Create a personal access token (returned once)",
  ...secured("account:write"),
  request: { body: jsonBody(CreateTokenSchema) },
  responses: {
    201: jsonContent(CreatedTokenSchema, "The new token, including its secret value"),
    ...errorResponses(401, 403),
  },
});

const list = createRoute({
  method: "get",
  path: "/tokens",
  tags,
  summary: "List my active tokens (never their values)",
  ...secured("account:read"),
  responses: {
    200: jsonContent(z.object({ items: z.array(TokenSchema) }), "Active tokens"),
    ...errorResponses(401, 403),
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/tokens/{tokenId}",
  tags,
  summary: "Revoke a token; it stops working at once",
  ...secured("account:write"),
  request: { params: z.object({ tokenId: idParam("tokenId", "pat_0abc...") }) },
  responses: { 204: { description: "Revoked" }, ...errorResponses(401, 403, 404) },
});

export function createTokenRoutes(deps: { tokens: AccessTokenService }) {
  const { tokens } = deps;
  return newRouter()
    .openapi(create, async (c) => {
      const { record, token } = await tokens.create(actorOf(c), c.req.valid("json"));
      return c.json({ ...toDto(record), token }, 201);
    })
    .openapi(list, async (c) => {
      const items = await tokens.list(actorOf(c));
      return c.json({ items: items.map(toDto) }, 200);
    })
    .openapi(revoke, async (c) => {
      await tokens.revoke(actorOf(c), c.req.valid("param").tokenId);
      return c.body(null, 204);
    });
}
