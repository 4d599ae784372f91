import { z } from "@hono/zod-openapi";
import type { Org, OrgInvitation, OrgMember, OrgRole } from "../../domain/orgs/org.js";
import { iso } from "../openapi.js";
import { OrgRoleSchema } from "../schemas.js";

export const OrgSchema = z
  .object({
    id: z.string().openapi({ example: "org_0abc..." }),
    name: z.string(),
    slug: z.string(),
    serverQuota: z.number().int().openapi({ description: "Most servers the organization may own" }),
    role: OrgRoleSchema.openapi({ description: "Your role in this organization" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Org");

export const MemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    role: OrgRoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .openapi("OrgMember");

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: "inv_0abc..." }),
    orgId: z.string(),
    orgName: z.string(),
    email: z.string(),
    role: OrgRoleSchema,
    invitedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi("OrgInvitation");

export const toOrgDto = (o: Org & { role: OrgRole }): z.infer<typeof OrgSchema> => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  serverQuota: o.serverQuota,
  role: o.role,
  createdAt: iso(o.createdAt),
  updatedAt: iso(o.updatedAt),
});

export const toMemberDto = (m: OrgMember): z.infer<typeof MemberSchema> => ({
  userId: m.userId,
  email: m.email,
  role: m.role,
  joinedAt: iso(m.joinedAt),
});

export const toInvitationDto = (i: OrgInvitation): z.infer<typeof InvitationSchema> => ({
  ...i,
  createdAt: iso(i.createdAt),
});
