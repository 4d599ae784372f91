import { DomainError, notFound } from "../../lib/errors.js";
import { isRegistrationOpen, setRegistrationOpen } from "../accounts/registration.js";
import type { User, UserRole } from "../accounts/user.js";
import type { AccessChanges } from "../authz/access-changes.js";
import type { Actor } from "../authz/actor.js";
import type { Policy } from "../authz/policy.js";
import type { Store } from "../store.js";

export interface InstanceSettings {
  /** Whether new accounts may register (invited emails always may). */
  registrationOpen: boolean;
  /** False when the operator closed registration with MCPHOST_OPEN_REGISTRATION=false. */
  registrationConfigurable: boolean;
}

export function createAdminService(deps: {
  store: Store;
  policy: Policy;
  registrationAllowedByConfig: boolean;
  accessChanges: Pick<AccessChanges, "notify">;
}) {
  const { store, policy } = deps;
  async function getSettings(actor: Actor): Promise<InstanceSettings> {
    policy.requireSiteAdmin(actor);
    return {
      registrationOpen: await isRegistrationOpen(store, deps.registrationAllowedByConfig),
      registrationConfigurable: deps.registrationAllowedByConfig,
    };
  }

  return {
    async listUsers(actor: Actor, page: { limit: number; offset: number }) {
      policy.requireSiteAdmin(actor);
      return store.users.list(page);
    },

    /** Changes a user's role or server quota; the instance always keeps at least one admin. */
    async updateUser(
      actor: Actor,
      userId: string,
      patch: { role?: UserRole | undefined; serverQuota?: number | undefined },
    ): Promise<User> {
      policy.requireSiteAdmin(actor);
      const updated = await store.transaction(async (tx) => {
        await tx.users.lockForAccountChanges();
        const user = await tx.users.findById(userId);
        if (!user) throw notFound("User");
        if (user.role === "admin" && patch.role === "user" && (await tx.users.countAdmins()) <= 1) {
          throw new DomainError("LAST_ADMIN", "The instance needs at least one admin");
        }
        const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        return (await tx.users.update(userId, clean)) ?? user;
      });
      // A role decides what a user's tokens may do (site admins operate every server).
      deps.accessChanges.notify();
      return updated;
    },

    async listOrgs(actor: Actor, page: { limit: number; offset: number }) {
      policy.requireSiteAdmin(actor);
      return store.orgs.listAll(page);
    },

    /** Sets how many servers an organization may own. */
    async setOrgServerQuota(actor: Actor, orgId: string, serverQuota: number) {
      policy.requireSiteAdmin(actor);
      const org = await store.orgs.setServerQuota(orgId, serverQuota, new Date());
      if (!org) throw notFound("Organization");
      return org;
    },

    getSettings,

    async updateSettings(actor: Actor, patch: { registrationOpen?: boolean | undefined }) {
      policy.requireSiteAdmin(actor);
      if (patch.registrationOpen !== undefined) {
        if (patch.registrationOpen && !deps.registrationAllowedByConfig) {
          throw new DomainError(
            "CONFLICT",
            "Registration is closed by MCPHOST_OPEN_REGISTRATION=false; change the configuration",
          );
        }
        await setRegistrationOpen(store, patch.registrationOpen);
      }
      return getSettings(actor);
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
