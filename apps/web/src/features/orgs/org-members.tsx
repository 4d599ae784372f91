import { ApiError, type Org, type OrgMember, type OrgRole } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { useMe } from "../auth/use-session";
import {
  assignableRoles,
  membersKey,
  orgKey,
  roleAtLeast,
  useInvalidateOrgs,
  useMembers,
} from "./org-queries";
import { useOwnerScope } from "./owner-scope";

/**
 * The members table. Admins change roles and remove members; only owners touch the owner role
 * (granting it, changing an owner's role, removing an owner), as the API allows. Anyone may leave.
 */
export function OrgMembers({ org }: { org: Org }) {
  const headingId = useId();
  const me = useMe();
  const members = useMembers(org.id);
  const client = useQueryClient();
  const invalidateOrgs = useInvalidateOrgs();
  const navigate = useNavigate();
  const { scope, setScope } = useOwnerScope();
  const [removing, setRemoving] = useState<OrgMember | null>(null);
  const [status, setStatus] = useState("");
  const canManage = roleAtLeast(org.role, "admin");
  // The owner role is out of an admin's reach, so an admin sees an owner's role as plain text.
  const canTouch = (member: OrgMember) =>
    canManage && (org.role === "owner" || member.role !== "owner");

  // A change may be to the reader's own role, which decides what the rest of the page offers.
  async function refresh() {
    await Promise.all([
      client.invalidateQueries({ queryKey: membersKey(org.id) }),
      client.invalidateQueries({ queryKey: orgKey(org.id) }),
      invalidateOrgs(),
    ]);
  }

  const changeRole = useMutation({
    mutationFn: async ({ member, role }: { member: OrgMember; role: OrgRole }) =>
      api.PATCH("/api/orgs/{orgId}/members/{userId}", {
        params: { path: { orgId: org.id, userId: member.userId } },
        body: { role },
      }),
    onMutate: () => setStatus(""),
    onSuccess: async (_, { member, role }) => {
      setStatus(`${member.email} is now ${role}.`);
      await refresh();
    },
  });

  const remove = useMutation({
    mutationFn: async (member: OrgMember) =>
      api.DELETE("/api/orgs/{orgId}/members/{userId}", {
        params: { path: { orgId: org.id, userId: member.userId } },
      }),
    onMutate: () => setStatus(""),
    onSuccess: async (_, member) => {
      setRemoving(null);
      if (member.userId !== me.id) {
        setStatus(`Removed ${member.email}.`);
        await refresh();
        return;
      }
      // Left: the organization is no longer the reader's, nor their workspace.
      if (scope.type === "org" && scope.orgId === org.id) setScope({ type: "personal" });
      await invalidateOrgs(org.id);
      navigate("/orgs");
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Members</h2>
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.isError ? (
        <LoadError error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <table className="stack-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => {
              const self = member.userId === me.id;
              const saving =
                changeRole.isPending && changeRole.variables.member.userId === member.userId;
              return (
                <tr key={member.userId}>
                  <td data-label="Email">
                    {member.email}
                    {self ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td data-label="Role">
                    {canTouch(member) ? (
                      <select
                        aria-label={`Role of ${member.email}`}
                        value={saving ? changeRole.variables.role : member.role}
                        disabled={changeRole.isPending}
                        aria-busy={saving || undefined}
                        onChange={(event) =>
                          changeRole.mutate({ member, role: event.target.value as OrgRole })
                        }
                      >
                        {assignableRoles(org.role).map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="badge">{member.role}</span>
                    )}
                  </td>
                  <td data-label="Joined">{formatTime(member.joinedAt)}</td>
                  <td>
                    {self || canTouch(member) ? (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          remove.reset();
                          setRemoving(member);
                        }}
                      >
                        {self ? "Leave" : "Remove"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ErrorAlert error={explain(changeRole.error, changeRole.variables?.member, me.id)} />
      <StatusMessage>{status}</StatusMessage>
      <ConfirmDialog
        open={removing !== null}
        title={removing?.userId === me.id ? `Leave ${org.name}?` : `Remove ${removing?.email}?`}
        confirmLabel={removing?.userId === me.id ? "Leave organization" : "Remove member"}
        pending={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removing?.userId === me.id
            ? "You lose access to its servers at once. To come back, an admin must invite you again."
            : `${removing?.email} loses access to ${org.name}'s servers at once. You can invite them again later.`}
        </p>
        <ErrorAlert error={explain(remove.error, removing ?? undefined, me.id)} />
      </ConfirmDialog>
    </section>
  );
}

/**
 * The API's LAST_OWNER refusal says what rule was broken; this says what to do about it, for the
 * member in question. Other errors pass through unchanged.
 */
function explain(error: unknown, member: OrgMember | undefined, myId: string): unknown {
  if (!(error instanceof ApiError) || error.problem.code !== "LAST_OWNER" || !member) return error;
  const who = member.userId === myId ? "You are" : `${member.email} is`;
  const detail = `${who} the only owner, and an organization needs at least one. Make another member owner first${member.userId === myId ? ", or delete the organization" : ""}.`;
  return new ApiError({ ...error.problem, detail });
}
