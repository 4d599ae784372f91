import { createRoute, z } from "@hono/zod-openapi";
import type { OrgService } from "../../domain/orgs/org-service.js";
import { notFound } from "../../lib/errors.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { EmailSchema, OrgRoleSchema } from "../schemas.js";
import { InvitationSchema, MemberSchema, toInvitationDto, toMemberDto } from "./org-schemas.js";

const tags = ["Organization members"];
const OrgParams = z.object({ orgId: idParam("orgId", "org_0abc...") });
const MemberParams = OrgParams.extend({ userId: idParam("userId", "usr_0abc...") });
const InvitationParams = OrgParams.extend({ invitationId: idParam("invitationId", "inv_0abc...") });

const listMembers = createRoute({
  method: "get",
  path: "/orgs/{orgId}/members",
  tags,
  summary: "Members of an organization",
  ...secured("orgs:read"),
  request: { params: OrgParams },
  responses: {
    200: jsonContent(z.object({ items: z.array(MemberSchema) }), "Members"),
    ...errorResponses(401, 403, 404),
  },
});

const changeRole = createRoute({
  method: "patch",
  path: "/orgs/{orgId}/members/{userId}",
  tags,
  summary: "Change a member's role",
  ...secured(
    "orgs:write",
    "Admins manage members and admins; only owners grant or take away ownership.",
  ),
  request: { params: MemberParams, body: jsonBody(z.object({ role: OrgRoleSchema })) },
  responses: { 200: jsonContent(MemberSchema, "Updated"), ...errorResponses(401, 403, 404, 409) },
});

const removeMember = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/members/{userId}",
  tags,
  summary: "Remove a member, or leave (your own user id)",
  ...secured("orgs:write", "The last owner cannot leave or be removed."),
  request: { params: MemberParams },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404, 409) },
});

const invite = createRoute({
  method: "post",
  path: "/orgs/{orgId}/invitations",
  tags,
  summary: "Invite someone by email",
  ...secured(
    "orgs:write",
    "The invitee accepts at POST /api/me/invitations/{id}/accept, after registering if needed " +
      "(an invited email may register even when registration is closed).",
  ),
  request: {
    params: OrgParams,
    body: jsonBody(z.object({ email: EmailSchema, role: OrgRoleSchema.default("member") })),
  },
  responses: {
    201: jsonContent(InvitationSchema, "Invitation created"),
    ...errorResponses(401, 403, 404, 409),
  },
});

const listInvitations = createRoute({
  method: "get",
  path: "/orgs/{orgId}/invitations",
  tags,
  summary: "Pending invitations of an organization",
  ...secured("orgs:read"),
  request: { params: OrgParams },
  responses: {
    200: jsonContent(z.object({ items: z.array(InvitationSchema) }), "Pending invitations"),
    ...errorResponses(401, 403, 404),
  },
});

const revokeInvitation = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/invitations/{invitationId}",
  tags,
  summary: "Withdraw an invitation",
  ...secured("orgs:write"),
  request: { params: InvitationParams },
  responses: { 204: { description: "Withdrawn" }, ...errorResponses(401, 403, 404) },
});

export function createOrgMemberRoutes(deps: { orgs: OrgService }) {
  const { orgs } = deps;
  return newRouter()
    .openapi(listMembers, async (c) => {
      const items = await orgs.listMembers(actorOf(c), c.req.valid("param").orgId);
      return c.json({ items: items.map(toMemberDto) }, 200);
    })
    .openapi(changeRole, async (c) => {
      const { orgId, userId } = c.req.valid("param");
      const member = await orgs.changeMemberRole(
        actorOf(c),
        orgId,
        userId,
        c.req.valid("json").role,
      );
      if (!member) throw notFound("Member");
      return c.json(toMemberDto(member), 200);
    })
    .openapi(removeMember, async (c) => {
      const { orgId, userId } = c.req.valid("param");
      await orgs.removeMember(actorOf(c), orgId, userId);
      return c.body(null, 204);
    })
    .openapi(invite, async (c) => {
      const invitation = await orgs.invite(
        actorOf(c),
        c.req.valid("param").orgId,
        c.req.valid("json"),
      );
      return c.json(toInvitationDto(invitation), 201);
    })
    .openapi(listInvitations, async (c) => {
      const items = await orgs.listInvitations(actorOf(c), c.req.valid("param").orgId);
      return c.json({ items: items.map(toInvitationDto) }, 200);
    })
    .openapi(revokeInvitation, async (c) => {
      const { orgId, invitationId } = c.req.valid("param");
      await orgs.revokeInvitation(actorOf(c), orgId, invitationId);
      return c.body(null, 204);
    });
}
