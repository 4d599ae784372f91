import { createRoute, z } from "@hono/zod-openapi";
import type { OrgService } from "../../domain/orgs/org-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { NameSchema } from "../schemas.js";
import { OrgSchema, toOrgDto } from "./org-schemas.js";

const tags = ["Organizations"];
const OrgParams = z.object({ orgId: idParam("orgId", "org_0abc...") });
const OrgInputSchema = z.object({ name: NameSchema }).openapi("OrgInput");

const create = createRoute({
  method: "post",
  path: "/orgs",
  tags,
  summary: "Create an organization; you become its owner",
  ...secured("orgs:write"),
  request: { body: jsonBody(OrgInputSchema) },
  responses: { 201: jsonContent(OrgSchema, "Created"), ...errorResponses(401, 403, 409) },
});

const list = createRoute({
  method: "get",
  path: "/orgs",
  tags,
  summary: "Organizations I belong to",
  ...secured("orgs:read"),
  responses: {
    200: jsonContent(z.object({ items: z.array(OrgSchema) }), "My organizations"),
    ...errorResponses(401, 403),
  },
});

const get = createRoute({
  method: "get",
  path: "/orgs/{orgId}",
  tags,
  summary: "One organization",
  ...secured("orgs:read"),
  request: { params: OrgParams },
  responses: { 200: jsonContent(OrgSchema, "The organization"), ...errorResponses(401, 403, 404) },
});

const rename = createRoute({
  method: "patch",
  path: "/orgs/{orgId}",
  tags,
  summary: "Rename an organization (owner or admin)",
  ...secured("orgs:write"),
  request: { params: OrgParams, body: jsonBody(OrgInputSchema) },
  responses: { 200: jsonContent(OrgSchema, "Renamed"), ...errorResponses(401, 403, 404) },
});

const remove = createRoute({
  method: "delete",
  path: "/orgs/{orgId}",
  tags,
  summary: "Delete an organization (owner only)",
  ...secured(
    "orgs:write",
    "Only an organization that owns no servers: delete them first with `DELETE /api/servers/{serverId}`, which stops and removes them, and wait until they are gone. Otherwise 409 `ORG_HAS_SERVERS`.",
  ),
  request: { params: OrgParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 409) },
});

export function createOrgRoutes(deps: { orgs: OrgService }) {
  const { orgs } = deps;
  return newRouter()
    .openapi(create, async (c) => {
      const org = await orgs.create(actorOf(c), c.req.valid("json"));
      return c.json(toOrgDto(org), 201);
    })
    .openapi(list, async (c) => {
      const items = await orgs.listMine(actorOf(c));
      return c.json({ items: items.map(toOrgDto) }, 200);
    })
    .openapi(get, async (c) => {
      const org = await orgs.get(actorOf(c), c.req.valid("param").orgId);
      return c.json(toOrgDto(org), 200);
    })
    .openapi(rename, async (c) => {
      const org = await orgs.rename(
        actorOf(c),
        c.req.valid("param").orgId,
        c.req.valid("json").name,
      );
      return c.json(toOrgDto(org), 200);
    })
    .openapi(remove, async (c) => {
      await orgs.delete(actorOf(c), c.req.valid("param").orgId);
      return c.body(null, 204);
    });
}
