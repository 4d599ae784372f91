import { createRoute, z } from "@hono/zod-openapi";
import type { AdminService } from "../../domain/admin/admin-service.js";
import type { Org } from "../../domain/orgs/org.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { toUserDto, UserSchema } from "../schemas.js";

const tags = ["Admin"];

const SettingsSchema = z
  .object({
    registrationOpen: z.boolean(),
    registrationConfigurable: z
      .boolean()
      .openapi({ description: "False when MCPHOST_OPEN_REGISTRATION=false closes registration" }),
  })
  .openapi("InstanceSettings");

/** `?limit=&offset=` for admin lists. */
const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const listUsers = createRoute({
  method: "get",
  path: "/admin/users",
  tags,
  summary: "All users (admins only)",
  ...secured("admin"),
  request: {
    query: PageQuery,
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(UserSchema), total: z.number().int() }),
      "A page of users, oldest first",
    ),
    ...errorResponses(401, 403),
  },
});

const updateUser = createRoute({
  method: "patch",
  path: "/admin/users/{userId}",
  tags,
  summary: "Change a user's role or server quota (admins only)",
  ...secured("admin"),
  request: {
    params: z.object({ userId: idParam("userId", "usr_0abc...") }),
    body: jsonBody(
      z
        .object({
          role: z.enum(["admin", "user"]).optional(),
          serverQuota: z.number().int().min(0).max(100_000).optional(),
        })
        .refine((v) => v.role !== undefined || v.serverQuota !== undefined, {
          message: "give role, serverQuota or both",
        }),
    ),
  },
  responses: { 200: jsonContent(UserSchema, "Updated"), ...errorResponses(401, 403, 404, 409) },
});

const AdminOrgSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    serverQuota: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .openapi("AdminOrg");

const toAdminOrg = (o: Org): z.infer<typeof AdminOrgSchema> => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  serverQuota: o.serverQuota,
  createdAt: o.createdAt.toISOString(),
});

const listOrgs = createRoute({
  method: "get",
  path: "/admin/orgs",
  tags,
  summary: "All organizations (admins only)",
  ...secured("admin"),
  request: {
    query: PageQuery,
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(AdminOrgSchema), total: z.number().int() }),
      "A page of organizations, oldest first",
    ),
    ...errorResponses(401, 403),
  },
});

const updateOrg = createRoute({
  method: "patch",
  path: "/admin/orgs/{orgId}",
  tags,
  summary: "Change an organization's server quota (admins only)",
  ...secured("admin"),
  request: {
    params: z.object({ orgId: idParam("orgId", "org_0abc...") }),
    body: jsonBody(z.object({ serverQuota: z.number().int().min(0).max(100_000) })),
  },
  responses: { 200: jsonContent(AdminOrgSchema, "Updated"), ...errorResponses(401, 403, 404) },
});

const getSettings = createRoute({
  method: "get",
  path: "/admin/settings",
  tags,
  summary: "Instance settings (admins only)",
  ...secured("admin"),
  responses: { 200: jsonContent(SettingsSchema, "Settings"), ...errorResponses(401, 403) },
});

const updateSettings = createRoute({
  method: "patch",
  path: "/admin/settings",
  tags,
  summary: "Change instance settings, e.g. close registration (admins only)",
  ...secured("admin"),
  request: { body: jsonBody(z.object({ registrationOpen: z.boolean().optional() })) },
  responses: { 200: jsonContent(SettingsSchema, "Updated"), ...errorResponses(401, 403, 409) },
});

export function createAdminRoutes(deps: { admin: AdminService }) {
  const { admin } = deps;
  return newRouter()
    .openapi(listUsers, async (c) => {
      const page = await admin.listUsers(actorOf(c), c.req.valid("query"));
      return c.json({ items: page.items.map(toUserDto), total: page.total }, 200);
    })
    .openapi(updateUser, async (c) => {
      const user = await admin.updateUser(
        actorOf(c),
        c.req.valid("param").userId,
        c.req.valid("json"),
      );
      return c.json(toUserDto(user), 200);
    })
    .openapi(listOrgs, async (c) => {
      const page = await admin.listOrgs(actorOf(c), c.req.valid("query"));
      return c.json({ items: page.items.map(toAdminOrg), total: page.total }, 200);
    })
    .openapi(updateOrg, async (c) => {
      const { orgId } = c.req.valid("param");
      const org = await admin.setOrgServerQuota(actorOf(c), orgId, c.req.valid("json").serverQuota);
      return c.json(toAdminOrg(org), 200);
    })
    .openapi(getSettings, async (c) => c.json(await admin.getSettings(actorOf(c)), 200))
    .openapi(updateSettings, async (c) =>
      c.json(await admin.updateSettings(actorOf(c), c.req.valid("json")), 200),
    );
}
