import { createRoute, z } from "@hono/zod-openapi";
import type { AccountService } from "../../domain/accounts/account-service.js";
import type { OrgService } from "../../domain/orgs/org-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { PasswordSchema, ScopeSchema, toUserDto, UserSchema } from "../schemas.js";
import { type CookiePolicy, clientInfo, setSessionCookie } from "../session-cookie.js";
import { InvitationSchema, OrgSchema, toInvitationDto, toOrgDto } from "./org-schemas.js";

const tags = ["Account"];

const MeSchema = UserSchema.extend({
  scopes: z.array(ScopeSchema).openapi({ description: "What the current credential may do" }),
  authenticatedVia: z.enum(["session", "token"]),
}).openapi("Me");

const getMe = createRoute({
  method: "get",
  path: "/me",
  tags,
  summary: "The current user",
  ...secured("account:read"),
  responses: { 200: jsonContent(MeSchema, "The current user"), ...errorResponses(401, 403) },
});

const changePassword = createRoute({
  method: "post",
  path: "/me/password",
  tags,
  summary: "Change password; every other session is signed out",
  ...secured("account:write"),
  request: {
    body: jsonBody(
      z.object({ currentPassword: z.string().min(1).max(1024), newPassword: PasswordSchema }),
    ),
  },
  responses: { 204: { description: "Password changed" }, ...errorResponses(401, 403) },
});

const listInvitations = createRoute({
  method: "get",
  path: "/me/invitations",
  tags,
  summary: "Organization invitations addressed to my email",
  ...secured("orgs:read"),
  responses: {
    200: jsonContent(z.object({ items: z.array(InvitationSchema) }), "Pending invitations"),
    ...errorResponses(401, 403),
  },
});

const respond = (verb: "accept" | "decline") =>
  createRoute({
    method: "post",
    path: `/me/invitations/{invitationId}/${verb}`,
    tags,
    summary: verb === "accept" ? "Accept an invitation and join the org" : "Decline an invitation",
    ...secured("orgs:write"),
    request: { params: z.object({ invitationId: idParam("invitationId", "inv_0abc...") }) },
    responses: {
      ...(verb === "accept"
        ? { 200: jsonContent(OrgSchema, "The organization joined") }
        : { 204: { description: "Declined" } }),
      ...errorResponses(401, 403, 404),
    },
  });
const accept = respond("accept");
const decline = respond("decline");

export function createMeRoutes(deps: {
  accounts: AccountService;
  orgs: OrgService;
  cookies: CookiePolicy;
}) {
  const { accounts, orgs, cookies } = deps;
  return newRouter()
    .openapi(getMe, (c) => {
      const actor = actorOf(c);
      return c.json(
        { ...toUserDto(actor.user), scopes: [...actor.scopes], authenticatedVia: actor.via.kind },
        200,
      );
    })
    .openapi(changePassword, async (c) => {
      const session = await accounts.changePassword(
        actorOf(c),
        c.req.valid("json"),
        clientInfo(c, cookies),
      );
      // A browser that changed its password stays signed in with a fresh session.
      if (session) setSessionCookie(c, cookies, session.token, session.expiresAt);
      return c.body(null, 204);
    })
    .openapi(listInvitations, async (c) => {
      const items = await orgs.listMyInvitations(actorOf(c));
      return c.json({ items: items.map(toInvitationDto) }, 200);
    })
    .openapi(accept, async (c) => {
      const org = await orgs.respondToInvitation(
        actorOf(c),
        c.req.valid("param").invitationId,
        true,
      );
      // respondToInvitation returns the org when accepting.
      return c.json(toOrgDto(org as NonNullable<typeof org>), 200);
    })
    .openapi(decline, async (c) => {
      await orgs.respondToInvitation(actorOf(c), c.req.valid("param").invitationId, false);
      return c.body(null, 204);
    });
}
