import type { OwnerRef } from "../../domain/authz/actor.js";

/** Owner columns (exactly one set, by a check constraint) as the domain's OwnerRef, and back. */
export function ownerFromColumns(row: {
  ownerUserId: string | null;
  ownerOrgId: string | null;
}): OwnerRef {
  return row.ownerOrgId
    ? { kind: "org", orgId: row.ownerOrgId }
    : { kind: "user", userId: row.ownerUserId as string };
}

export function ownerToColumns(owner: OwnerRef): {
  ownerUserId: string | null;
  ownerOrgId: string | null;
} {
  return owner.kind === "user"
    ? { ownerUserId: owner.userId, ownerOrgId: null }
    : { ownerUserId: null, ownerOrgId: owner.orgId };
}
