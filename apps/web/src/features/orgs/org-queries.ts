import type { OrgRole } from "@mcphost/api-client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, bodyOf } from "../../lib/api";
import { useServers } from "../servers/server-queries";

/** The header's workspace switcher reads this key too: invalidating it updates the switcher. */
export const orgsKey = ["orgs"] as const;
export const orgKey = (orgId: string) => ["org", orgId] as const;
export const membersKey = (orgId: string) => ["org", orgId, "members"] as const;
export const orgInvitationsKey = (orgId: string) => ["org", orgId, "invitations"] as const;
/** Not under ["me"]: refreshing the session should not refetch these, and vice versa. */
export const myInvitationsKey = ["my-invitations"] as const;

/** The organizations the reader is a member of, each with the reader's role. */
export function useOrgs() {
  return useQuery({
    queryKey: orgsKey,
    queryFn: async () => (await bodyOf(api.GET("/api/orgs"))).items,
  });
}

/** One organization with the reader's role in it (site admins count as owners). */
export function useOrg(orgId: string) {
  return useQuery({
    queryKey: orgKey(orgId),
    queryFn: async () =>
      await bodyOf(api.GET("/api/orgs/{orgId}", { params: { path: { orgId } } })),
  });
}

export function useMembers(orgId: string) {
  return useQuery({
    queryKey: membersKey(orgId),
    queryFn: async () =>
      (await bodyOf(api.GET("/api/orgs/{orgId}/members", { params: { path: { orgId } } }))).items,
  });
}

/** Pending invitations of an organization; only its admins may list them. */
export function useOrgInvitations(orgId: string) {
  return useQuery({
    queryKey: orgInvitationsKey(orgId),
    queryFn: async () =>
      (await bodyOf(api.GET("/api/orgs/{orgId}/invitations", { params: { path: { orgId } } })))
        .items,
  });
}

/** Invitations addressed to the reader's email, from any organization. */
export function useMyInvitations() {
  return useQuery({
    queryKey: myInvitationsKey,
    queryFn: async () => (await bodyOf(api.GET("/api/me/invitations"))).items,
  });
}

/** After joining, leaving, renaming or deleting: every view of "my organizations" is stale. */
export function useInvalidateOrgs() {
  const client = useQueryClient();
  return (orgId?: string) =>
    Promise.all([
      client.invalidateQueries({ queryKey: orgsKey }),
      orgId ? client.invalidateQueries({ queryKey: orgKey(orgId) }) : undefined,
    ]);
}

/**
 * How many servers an owner holds, counted from the server list the reader can see. `undefined`
 * while that list loads or when it failed, so callers show the quota alone rather than a wrong 0.
 */
export function useServerCount(owner: { type: "user" | "org"; id: string }): number | undefined {
  const servers = useServers();
  return servers.data?.filter((s) => s.owner.type === owner.type && s.owner.id === owner.id).length;
}

/** "3 of 10 servers", or "10 servers" before the count is known. */
export function quotaText(used: number | undefined, quota: number): string {
  const unit = quota === 1 ? "server" : "servers";
  return used === undefined ? `${quota} ${unit}` : `${used} of ${quota} ${unit}`;
}

const RANK: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };

/** member < admin < owner, as the API ranks them. */
export function roleAtLeast(role: OrgRole, least: OrgRole): boolean {
  return RANK[role] >= RANK[least];
}

/** The roles `actor` may hand out: only owners grant (or take away) ownership. */
export function assignableRoles(actor: OrgRole): OrgRole[] {
  return actor === "owner" ? ["member", "admin", "owner"] : ["member", "admin"];
}
