import type { Clock } from "../../lib/clock.js";
import { DomainError, notFound } from "../../lib/errors.js";
import { newId, randomBase32 } from "../../lib/ids.js";
import { DEFAULT_SERVER_QUOTA, normalizeEmail } from "../accounts/user.js";
import type { AccessChanges } from "../authz/access-changes.js";
import type { Actor } from "../authz/actor.js";
import type { Policy } from "../authz/policy.js";
import { slugify } from "../slug.js";
import type { Store } from "../store.js";
import { type Org, type OrgRole, orgHasServers } from "./org.js";

const lastOwner = () =>
  new DomainError(
    "LAST_OWNER",
    "An organization needs at least one owner: make someone else owner first",
  );

export function createOrgService(deps: {
  store: Store;
  policy: Policy;
  clock: Clock;
  /** Told after membership changes: an org's members may use its servers through the gateway. */
  accessChanges: Pick<AccessChanges, "notify">;
}) {
  const { store, policy, clock, accessChanges } = deps;

  async function uniqueSlug(name: string): Promise<string> {
    const base = slugify(name, "org");
    if (!(await store.orgs.slugExists(base))) return base;
    return `${base}-${randomBase32(6)}`;
  }

  /** Within a transaction: refuses a change that would leave the org without an owner. */
  async function assertKeepsAnOwner(tx: Store, orgId: string, userId: string, newRole?: OrgRole) {
    const owners = await tx.orgs.lockOwners(orgId);
    if (owners.length === 1 && owners[0] === userId && newRole !== "owner") throw lastOwner();
  }

  async function get(actor: Actor, orgId: string) {
    const { org, role } = await policy.authorizeOrg(actor, orgId, "read");
    return { ...org, role };
  }

  return {
    /** The creator becomes the first owner. */
    async create(actor: Actor, input: { name: string }): Promise<Org & { role: OrgRole }> {
      const name = input.name.trim();
      // Two orgs with the same name created at once both pass the slug check; the loser retries.
      for (let attempt = 0; ; attempt++) {
        const now = clock.now();
        const org: Org = {
          id: newId("org"),
          name,
          slug:
            attempt === 0 ? await uniqueSlug(name) : `${slugify(name, "org")}-${randomBase32(6)}`,
          serverQuota: DEFAULT_SERVER_QUOTA,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await store.transaction(async (tx) => {
            await tx.orgs.insert(org);
            await tx.orgs.addMember(org.id, actor.user.id, "owner", now);
          });
          return { ...org, role: "owner" };
        } catch (err) {
          if (!(err instanceof DomainError && err.code === "CONFLICT") || attempt >= 3) throw err;
        }
      }
    },

    listMine(actor: Actor) {
      return store.orgs.listForUser(actor.user.id);
    },

    get,

    async rename(actor: Actor, orgId: string, name: string) {
      const { role } = await policy.authorizeOrg(actor, orgId, "update");
      const org = await store.orgs.rename(orgId, name.trim(), clock.now());
      if (!org) throw notFound("Organization");
      return { ...org, role };
    },

    /**
     * Refused (ORG_HAS_SERVERS) while the org owns any server, including one still being removed:
     * deleting the org must not drop the rows of servers whose instances run.
     */
    async delete(actor: Actor, orgId: string) {
      await policy.authorizeOrg(actor, orgId, "delete");
      const owner = { kind: "org", orgId } as const;
      await store.transaction(async (tx) => {
        // The lock that creating a server takes on its owner's row: no server can be added to the
        // org between this count and the delete. The foreign key (on delete restrict) backs this up.
        await tx.servers.lockOwnerQuota(owner);
        const servers = await tx.servers.countByOwner(owner);
        if (servers > 0) throw orgHasServers(servers);
        await tx.orgs.delete(orgId);
      });
      accessChanges.notify();
    },

    async listMembers(actor: Actor, orgId: string) {
      await policy.authorizeOrg(actor, orgId, "read");
      return store.orgs.listMembers(orgId);
    },

    async changeMemberRole(actor: Actor, orgId: string, userId: string, role: OrgRole) {
      const { role: actorRole } = await policy.authorizeOrg(actor, orgId, "manageMembers");
      await store.transaction(async (tx) => {
        const current = await tx.orgs.findRole(orgId, userId);
        if (!current) throw notFound("Member");
        policy.assertCanAssignRole(actorRole, current, role);
        if (current === "owner") await assertKeepsAnOwner(tx, orgId, userId, role);
        await tx.orgs.setMemberRole(orgId, userId, role);
      });
      accessChanges.notify();
      return (await store.orgs.listMembers(orgId)).find((m) => m.userId === userId);
    },

    /** Removes a member; any member may remove themselves (leave), except the last owner. */
    async removeMember(actor: Actor, orgId: string, userId: string) {
      const leaving = userId === actor.user.id;
      const { role: actorRole } = await policy.authorizeOrg(
        actor,
        orgId,
        leaving ? "read" : "manageMembers",
      );
      await store.transaction(async (tx) => {
        const current = await tx.orgs.findRole(orgId, userId);
        if (!current) throw notFound("Member");
        if (!leaving) policy.assertCanAssignRole(actorRole, current, undefined);
        if (current === "owner") await assertKeepsAnOwner(tx, orgId, userId);
        await tx.orgs.removeMember(orgId, userId);
      });
      accessChanges.notify();
    },

    async invite(actor: Actor, orgId: string, input: { email: string; role: OrgRole }) {
      const { org, role: actorRole } = await policy.authorizeOrg(actor, orgId, "invite");
      policy.assertCanAssignRole(actorRole, undefined, input.role);
      const email = normalizeEmail(input.email);
      const existingUser = await store.users.findByEmailWithSecret(email);
      if (existingUser && (await store.orgs.findRole(orgId, existingUser.id))) {
        throw new DomainError("ALREADY_MEMBER", `${email} is already a member`);
      }
      if (await store.orgs.findInvitationByEmail(orgId, email)) {
        throw new DomainError("INVITATION_EXISTS", `${email} has already been invited`);
      }
      const invitation = {
        id: newId("invitation"),
        orgId,
        email,
        role: input.role,
        invitedBy: actor.user.id,
        createdAt: clock.now(),
      };
      await store.orgs.insertInvitation(invitation);
      return { ...invitation, orgName: org.name };
    },

    async listInvitations(actor: Actor, orgId: string) {
      await policy.authorizeOrg(actor, orgId, "invite");
      return store.orgs.listInvitations(orgId);
    },

    async revokeInvitation(actor: Actor, orgId: string, invitationId: string) {
      await policy.authorizeOrg(actor, orgId, "invite");
      const invitation = await store.orgs.findInvitation(invitationId);
      if (!invitation || invitation.orgId !== orgId) throw notFound("Invitation");
      await store.orgs.deleteInvitation(invitationId);
    },

    /** Invitations addressed to the actor's email, from any organization. */
    listMyInvitations(actor: Actor) {
      return store.orgs.listInvitationsForEmail(actor.user.email);
    },

    /** Accepting joins the org and returns it; declining returns undefined. */
    async respondToInvitation(actor: Actor, invitationId: string, accept: boolean) {
      const invitation = await store.orgs.findInvitation(invitationId);
      // Someone else's invitation is not revealed.
      if (!invitation || invitation.email !== actor.user.email) throw notFound("Invitation");
      await store.transaction(async (tx) => {
        await tx.orgs.deleteInvitation(invitationId);
        if (accept && !(await tx.orgs.findRole(invitation.orgId, actor.user.id))) {
          await tx.orgs.addMember(invitation.orgId, actor.user.id, invitation.role, clock.now());
        }
      });
      if (accept) accessChanges.notify();
      return accept ? get(actor, invitation.orgId) : undefined;
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
