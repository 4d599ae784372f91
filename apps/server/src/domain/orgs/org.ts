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

/** URL-safe slug from a display name: lower-case ASCII letters, digits and single dashes. */
export function slugify(name: string, fallback = "org"): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || fallback;
}
