import type { Org, OrgInvitation } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { myInvitationsKey, useInvalidateOrgs, useMyInvitations } from "./org-queries";

type Answer = "accept" | "decline";
type Outcome = { answer: "accept"; org: Org } | { answer: "decline"; orgName: string };

/**
 * Invitations addressed to the reader's email, with Accept and Decline. Shown on the profile and
 * the organizations page, since an invitee may look for them in either place.
 */
export function MyInvitations() {
  const headingId = useId();
  const invitations = useMyInvitations();
  const client = useQueryClient();
  const invalidateOrgs = useInvalidateOrgs();
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const answer = useMutation({
    mutationFn: async ({ invitation, answer }: { invitation: OrgInvitation; answer: Answer }) => {
      const path = { params: { path: { invitationId: invitation.id } } };
      if (answer === "accept") {
        const org = await bodyOf(api.POST("/api/me/invitations/{invitationId}/accept", path));
        return { answer, org } satisfies Outcome;
      }
      await api.POST("/api/me/invitations/{invitationId}/decline", path);
      return { answer, orgName: invitation.orgName } satisfies Outcome;
    },
    onMutate: () => setOutcome(null),
    onSuccess: async (result) => {
      setOutcome(result);
      // Either way the invitation is gone; accepting also adds an organization to the switcher.
      await client.invalidateQueries({ queryKey: myInvitationsKey });
      if (result.answer === "accept") await invalidateOrgs();
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Invitations to you</h2>
      {invitations.isPending ? (
        <Loading label="Loading invitations…" />
      ) : invitations.isError ? (
        <LoadError error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <p className="muted">No invitations are waiting for you.</p>
      ) : (
        <ul className="plain-list">
          {invitations.data.map((invitation) => {
            const busy = answer.isPending && answer.variables.invitation.id === invitation.id;
            return (
              <li key={invitation.id} className="list-row">
                <div>
                  <strong>{invitation.orgName}</strong> invites you as{" "}
                  <span className="badge">{invitation.role}</span>
                  <span className="muted"> · {formatRelative(invitation.createdAt)}</span>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    disabled={answer.isPending}
                    aria-busy={busy || undefined}
                    onClick={() => answer.mutate({ invitation, answer: "accept" })}
                  >
                    {busy && answer.variables.answer === "accept" ? "Accepting…" : "Accept"}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={answer.isPending}
                    onClick={() => answer.mutate({ invitation, answer: "decline" })}
                  >
                    {busy && answer.variables.answer === "decline" ? "Declining…" : "Decline"}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ErrorAlert error={answer.error} />
      <StatusMessage>
        {outcome?.answer === "accept" ? (
          <>
            You joined <Link to={`/orgs/${outcome.org.id}`}>{outcome.org.name}</Link> as{" "}
            {outcome.org.role}.
          </>
        ) : outcome?.answer === "decline" ? (
          `You declined the invitation to ${outcome.orgName}.`
        ) : null}
      </StatusMessage>
    </section>
  );
}
