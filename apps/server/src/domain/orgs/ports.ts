import type { Org, OrgInvitation, OrgMember, OrgRole } from "./org.js";

export interface OrgRepository {
  /** Throws DomainError CONFLICT when the slug is taken. */
  insert(org: Org): Promise<void>;
  slugExists(slug: string): Promise<boolean>;
  findById(id: string): Promise<Org | undefined>;
  listForUser(userId: string): Promise<Array<Org & { role: OrgRole }>>;
  rename(id: string, name: string, now: Date): Promise<Org | undefined>;
  setServerQuota(id: string, serverQuota: number, now: Date): Promise<Org | undefined>;
  listAll(page: { limit: number; offset: number }): Promise<{ items: Org[]; total: number }>;
  /**
   * Throws DomainError ORG_HAS_SERVERS when the org still owns servers (the foreign key refuses:
   * their instances must be stopped and removed through the lifecycle first).
   */
  delete(id: string): Promise<void>;

  findRole(orgId: string, userId: string): Promise<OrgRole | undefined>;
  listMembers(orgId: string): Promise<OrgMember[]>;
  addMember(orgId: string, userId: string, role: OrgRole, now: Date): Promise<void>;
  setMemberRole(orgId: string, userId: string, role: OrgRole): Promise<void>;
  removeMember(orgId: string, userId: string): Promise<void>;
  /** Locks the org's owner rows until the transaction ends, and returns their user ids. */
  lockOwners(orgId: string): Promise<string[]>;

  insertInvitation(invitation: Omit<OrgInvitation, "orgName">): Promise<void>;
  findInvitation(id: string): Promise<OrgInvitation | undefined>;
  findInvitationByEmail(orgId: string, email: string): Promise<OrgInvitation | undefined>;
  listInvitations(orgId: string): Promise<OrgInvitation[]>;
  listInvitationsForEmail(email: string): Promise<OrgInvitation[]>;
  hasInvitationFor(email: string): Promise<boolean>;
  deleteInvitation(id: string): Promise<void>;
}
