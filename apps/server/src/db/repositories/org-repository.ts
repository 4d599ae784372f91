import { and, asc, count, eq, sql } from "drizzle-orm";
import { type OrgInvitation, orgHasServers } from "../../domain/orgs/org.js";
import type { OrgRepository } from "../../domain/orgs/ports.js";
import { DomainError } from "../../lib/errors.js";
import type { Db } from "../database.js";
import { orgInvitations, orgMembers, orgs, users } from "../schema/index.js";
import { isStillReferenced, isUniqueViolation } from "./pg-errors.js";

const invitationColumns = {
  id: orgInvitations.id,
  orgId: orgInvitations.orgId,
  orgName: orgs.name,
  email: orgInvitations.email,
  role: orgInvitations.role,
  invitedBy: orgInvitations.invitedBy,
  createdAt: orgInvitations.createdAt,
};

export function createOrgRepository(db: Db): OrgRepository {
  const selectInvitations = () =>
    db
      .select(invitationColumns)
      .from(orgInvitations)
      .innerJoin(orgs, eq(orgs.id, orgInvitations.orgId));

  return {
    async insert(org) {
      try {
        await db.insert(orgs).values(org);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DomainError("CONFLICT", `The URL slug "${org.slug}" is already taken`);
        }
        throw err;
      }
    },
    async slugExists(slug) {
      const rows = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
      return rows.length > 0;
    },
    async findById(id) {
      const [row] = await db.select().from(orgs).where(eq(orgs.id, id));
      return row;
    },
    async listForUser(userId) {
      return db
        .select({
          id: orgs.id,
          name: orgs.name,
          slug: orgs.slug,
          serverQuota: orgs.serverQuota,
          createdAt: orgs.createdAt,
          updatedAt: orgs.updatedAt,
          role: orgMembers.role,
        })
        .from(orgs)
        .innerJoin(orgMembers, eq(orgMembers.orgId, orgs.id))
        .where(eq(orgMembers.userId, userId))
        .orderBy(asc(orgs.name), asc(orgs.id));
    },
    async rename(id, name, now) {
      const [row] = await db
        .update(orgs)
        .set({ name, updatedAt: now })
        .where(eq(orgs.id, id))
        .returning();
      return row;
    },
    async setServerQuota(id, serverQuota, now) {
      const [row] = await db
        .update(orgs)
        .set({ serverQuota, updatedAt: now })
        .where(eq(orgs.id, id))
        .returning();
      return row;
    },
    async listAll({ limit, offset }) {
      const items = await db
        .select()
        .from(orgs)
        .orderBy(asc(orgs.createdAt), asc(orgs.id))
        .limit(limit)
        .offset(offset);
      const [row] = await db.select({ n: count() }).from(orgs);
      return { items, total: row?.n ?? 0 };
    },
    async delete(id) {
      try {
        await db.delete(orgs).where(eq(orgs.id, id));
      } catch (err) {
        // servers.owner_org_id is `on delete restrict`: the org still owns servers.
        if (isStillReferenced(err)) throw orgHasServers();
        throw err;
      }
    },

    async findRole(orgId, userId) {
      const [row] = await db
        .select({ role: orgMembers.role })
        .from(orgMembers)
        .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)));
      return row?.role;
    },
    async listMembers(orgId) {
      return db
        .select({
          userId: orgMembers.userId,
          email: users.email,
          role: orgMembers.role,
          joinedAt: orgMembers.createdAt,
        })
        .from(orgMembers)
        .innerJoin(users, eq(users.id, orgMembers.userId))
        .where(eq(orgMembers.orgId, orgId))
        .orderBy(asc(orgMembers.createdAt), asc(users.email));
    },
    async addMember(orgId, userId, role, now) {
      await db.insert(orgMembers).values({ orgId, userId, role, createdAt: now });
    },
    async setMemberRole(orgId, userId, role) {
      await db
        .update(orgMembers)
        .set({ role })
        .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)));
    },
    async removeMember(orgId, userId) {
      await db
        .delete(orgMembers)
        .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)));
    },
    async lockOwners(orgId) {
      const rows = await db
        .select({ userId: orgMembers.userId })
        .from(orgMembers)
        .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.role, "owner")))
        .for("update");
      return rows.map((r) => r.userId);
    },

    async insertInvitation(invitation) {
      try {
        await db.insert(orgInvitations).values(invitation);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DomainError(
            "INVITATION_EXISTS",
            `${invitation.email} has already been invited`,
          );
        }
        throw err;
      }
    },
    async findInvitation(id) {
      const [row] = await selectInvitations().where(eq(orgInvitations.id, id));
      return row as OrgInvitation | undefined;
    },
    async findInvitationByEmail(orgId, email) {
      const [row] = await selectInvitations().where(
        and(eq(orgInvitations.orgId, orgId), eq(orgInvitations.email, email)),
      );
      return row;
    },
    async listInvitations(orgId) {
      return selectInvitations()
        .where(eq(orgInvitations.orgId, orgId))
        .orderBy(asc(orgInvitations.createdAt));
    },
    async listInvitationsForEmail(email) {
      return selectInvitations()
        .where(eq(orgInvitations.email, email))
        .orderBy(asc(orgInvitations.createdAt));
    },
    async hasInvitationFor(email) {
      const rows = await db
        .select({ one: sql`1` })
        .from(orgInvitations)
        .where(eq(orgInvitations.email, email))
        .limit(1);
      return rows.length > 0;
    },
    async deleteInvitation(id) {
      await db.delete(orgInvitations).where(eq(orgInvitations.id, id));
    },
  };
}
