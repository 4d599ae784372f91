import { DomainError } from "../../lib/errors.js";

export type OrgRole = "owner" | "admin" | "member";

export interface Org {
  id: string;
  name: string;
  slug: string;
  /** Most servers the organization may own (the servers issue enforces it). */
  serverQuota: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrgMember {
  userId: string;
  email: string;
  role: OrgRole;
  joinedAt: Date;
}

export interface OrgInvitation {
  id: string;
  orgId: string;
  orgName: string;
  email: string;
  role: OrgRole;
  invitedBy: string | null;
  createdAt: Date;
}

const ROLE_RANK: Record<OrgRole, number> = { member: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: OrgRole, minimum: OrgRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/**
 * An organization is deleted only once it owns no servers: deleting their rows with it would leave
 * their instances running, out of reach. Servers are deleted one by one, through the lifecycle,
 * which stops and removes them. `count` is omitted when only the database noticed.
 */
export function orgHasServers(count?: number): DomainError {
  const what = count === undefined ? "servers" : `${count} server${count === 1 ? "" : "s"}`;
  return new DomainError(
    "ORG_HAS_SERVERS",
    `This organization still owns ${what}. Delete ${count === 1 ? "it" : "them"} first; a server being deleted counts until its removal finishes.`,
  );
}
