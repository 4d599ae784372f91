import { DomainError, forbidden, notFound } from "../../lib/errors.js";
import type { Scope } from "../accounts/scopes.js";
import type { Org, OrgRole } from "../orgs/org.js";
import { roleAtLeast } from "../orgs/org.js";
import type { Store } from "../store.js";
import type { Actor, OwnerRef } from "./actor.js";

/** What can be done to an organization, and the least org role that may do it. */
const ORG_ACTION_MIN_ROLE = {
  read: "member",
  update: "admin",
  invite: "admin",
  manageMembers: "admin",
  delete: "owner",
} as const satisfies Record<string, OrgRole>;
export type OrgAction = keyof typeof ORG_ACTION_MIN_ROLE;

/** What can be done to a resource owned by a user or an organization (servers and what follows). */
const OWNED_ACTION_MIN_ORG_ROLE = {
  read: "member",
  operate: "member",
  manage: "admin",
} as const satisfies Record<string, OrgRole>;
export type OwnedResourceAction = keyof typeof OWNED_ACTION_MIN_ORG_ROLE;

/** A credential must hold the scope a route needs (browser sessions hold all their role allows). */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.has(scope)) {
    throw new DomainError("INSUFFICIENT_SCOPE", `This credential lacks the "${scope}" scope`);
  }
}

/**
 * The one authorization policy. Handlers call it; they do not check roles themselves.
 * Rules: a resource the actor may not even read answers NOT_FOUND (its existence is not revealed);
 * one they may read but not change answers FORBIDDEN. Site admins act as owners everywhere.
 */
export function createPolicy(deps: { store: Pick<Store, "orgs"> }) {
  const { store } = deps;

  async function effectiveOrgRole(actor: Actor, orgId: string): Promise<OrgRole | undefined> {
    if (actor.user.role === "admin") return "owner";
    return store.orgs.findRole(orgId, actor.user.id);
  }

  /** For resources owned by a user or an org: the owner user, or org members by role. */
  async function authorizeOwned(
    actor: Actor,
    owner: OwnerRef,
    action: OwnedResourceAction,
  ): Promise<void> {
    if (actor.user.role === "admin") return;
    if (owner.kind === "user") {
      if (owner.userId !== actor.user.id) throw notFound("Resource");
      return;
    }
    const role = await store.orgs.findRole(owner.orgId, actor.user.id);
    if (!role) throw notFound("Resource");
    if (!roleAtLeast(role, OWNED_ACTION_MIN_ORG_ROLE[action])) {
      throw forbidden(`Your role in the owning organization (${role}) cannot ${action} this`);
    }
  }

  return {
    requireScope,

    requireSiteAdmin(actor: Actor): void {
      if (actor.user.role !== "admin") throw forbidden("Only administrators may do this");
    },

    /** Returns the org and the actor's role in it, or throws NOT_FOUND / FORBIDDEN. */
    async authorizeOrg(
      actor: Actor,
      orgId: string,
      action: OrgAction,
    ): Promise<{ org: Org; role: OrgRole }> {
      const role = await effectiveOrgRole(actor, orgId);
      const org = role ? await store.orgs.findById(orgId) : undefined;
      if (!role || !org) throw notFound("Organization");
      if (!roleAtLeast(role, ORG_ACTION_MIN_ROLE[action])) {
        throw forbidden(`Your role in this organization (${role}) cannot ${action} it`);
      }
      return { org, role };
    },

    authorizeOwned,

    /** Which owners may the actor create resources for: themselves, or an org they can operate in. */
    async authorizeCreateFor(actor: Actor, owner: OwnerRef): Promise<void> {
      if (owner.kind === "user" && owner.userId !== actor.user.id && actor.user.role !== "admin") {
        throw forbidden("You can only create resources for yourself or your organizations");
      }
      if (owner.kind === "org") await authorizeOwned(actor, owner, "operate");
    },

    /** Org admins manage members and admins; only owners may grant, change or remove ownership. */
    assertCanAssignRole(
      actorRole: OrgRole,
      fromRole: OrgRole | undefined,
      toRole: OrgRole | undefined,
    ) {
      const touchesOwner = fromRole === "owner" || toRole === "owner";
      if (touchesOwner && actorRole !== "owner") {
        throw forbidden("Only an owner can grant, change or remove the owner role");
      }
    },
  };
}

export type Policy = ReturnType<typeof createPolicy>;
