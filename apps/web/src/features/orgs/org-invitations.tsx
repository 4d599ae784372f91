import { ApiError, type Org, type OrgInvitation, type OrgRole } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { assignableRoles, orgInvitationsKey, useOrgInvitations } from "./org-queries";

/** Inviting by email, and the invitations still waiting for an answer (for org admins). */
export function OrgInvitations({ org }: { org: Org }) {
  const headingId = useId();
  const invitations = useOrgInvitations(org.id);
  const client = useQueryClient();
  const [status, setStatus] = useState("");

  const withdraw = useMutation({
    mutationFn: async (invitation: OrgInvitation) =>
      api.DELETE("/api/orgs/{orgId}/invitations/{invitationId}", {
        params: { path: { orgId: org.id, invitationId: invitation.id } },
      }),
    onMutate: () => setStatus(""),
    onSuccess: async (_, invitation) => {
      setStatus(`Withdrew the invitation to ${invitation.email}.`);
      await client.invalidateQueries({ queryKey: orgInvitationsKey(org.id) });
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Invitations</h2>
      <InviteForm org={org} />
      <h3>Waiting for an answer</h3>
      {invitations.isPending ? (
        <Loading label="Loading invitations…" />
      ) : invitations.isError ? (
        <LoadError error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <ul className="plain-list">
          {invitations.data.map((invitation) => {
            const busy = withdraw.isPending && withdraw.variables.id === invitation.id;
            return (
              <li key={invitation.id} className="list-row">
                <div>
                  {invitation.email} as <span className="badge">{invitation.role}</span>
                  <span className="muted"> · invited {formatRelative(invitation.createdAt)}</span>
                </div>
                <button
                  type="button"
                  className="secondary"
                  disabled={withdraw.isPending}
                  aria-busy={busy || undefined}
                  onClick={() => withdraw.mutate(invitation)}
                >
                  {busy ? "Withdrawing…" : "Withdraw"}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <ErrorAlert error={withdraw.error} />
      <StatusMessage>{status}</StatusMessage>
    </section>
  );
}

/** MCP Host sends no email, so a successful invitation tells the inviter what to pass on. */
function InviteForm({ org }: { org: Org }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<OrgRole>("member");
  const invite = useMutation({
    mutationFn: async (body: { email: string; role: OrgRole }) =>
      await bodyOf(
        api.POST("/api/orgs/{orgId}/invitations", {
          params: { path: { orgId: org.id } },
          body,
        }),
      ),
    onSuccess: async () => {
      setEmail("");
      setRole("member");
      await client.invalidateQueries({ queryKey: orgInvitationsKey(org.id) });
    },
  });
  const fieldErrors = fieldErrorsOf(invite.error);
  // These refusals are about the address typed, so they belong next to it.
  const emailRefusal = isAboutEmail(invite.error) ? invite.error.message : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invite.mutate({ email, role });
  }

  return (
    <>
      <form onSubmit={onSubmit} aria-busy={invite.isPending} className="inline-form">
        <Field label="Email" error={fieldErrors.email ?? emailRefusal}>
          {(control) => (
            <input
              {...control}
              type="email"
              name="email"
              required
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <Field label="Role" error={fieldErrors.role}>
          {(control) => (
            <select
              {...control}
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value as OrgRole)}
            >
              {assignableRoles(org.role).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Invite"}
        </button>
      </form>
      <ErrorAlert error={emailRefusal ? null : invite.error} shownFields={["email", "role"]} />
      <StatusMessage>
        {invite.data
          ? `Invited ${invite.data.email} as ${invite.data.role}. MCP Host sends no email: ask them to sign in (or register) with this address and accept on their Organizations page.`
          : null}
      </StatusMessage>
    </>
  );
}

function isAboutEmail(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.problem.code === "ALREADY_MEMBER" || error.problem.code === "INVITATION_EXISTS")
  );
}
