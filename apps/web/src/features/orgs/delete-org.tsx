import type { Org } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { api } from "../../lib/api";
import { orgKey, useInvalidateOrgs, useServerCount } from "./org-queries";
import { useOwnerScope } from "./owner-scope";

/**
 * Deleting an organization (owners only) takes its members and invitations with it, so the dialog
 * asks for the name to be typed: a second click alone is too easy to give. The API refuses while
 * the organization owns servers (409 ORG_HAS_SERVERS, its detail saying how many and what to do),
 * so this says so up front; the button stays enabled, as the count here is only what the reader's
 * server list shows, and the refusal then explains itself in the dialog.
 */
export function DeleteOrg({ org }: { org: Org }) {
  const headingId = useId();
  const client = useQueryClient();
  const invalidateOrgs = useInvalidateOrgs();
  const navigate = useNavigate();
  const { scope, setScope } = useOwnerScope();
  const servers = useServerCount({ type: "org", id: org.id });
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [mismatch, setMismatch] = useState(false);

  const remove = useMutation({
    mutationFn: async () =>
      api.DELETE("/api/orgs/{orgId}", { params: { path: { orgId: org.id } } }),
    onSuccess: async () => {
      if (scope.type === "org" && scope.orgId === org.id) setScope({ type: "personal" });
      client.removeQueries({ queryKey: orgKey(org.id) });
      await invalidateOrgs();
      navigate("/orgs");
    },
  });

  function close() {
    setOpen(false);
    setTyped("");
    setMismatch(false);
    remove.reset();
  }

  return (
    <section className="panel danger-zone" aria-labelledby={headingId}>
      <h2 id={headingId}>Delete organization</h2>
      <p>Deletes {org.name} with its members and invitations. This cannot be undone.</p>
      <p>
        The organization must own no servers: delete them first
        {servers ? ` (it owns ${servers} now)` : ""}. Deleting a server stops and removes it.
      </p>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Delete organization…
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete ${org.name}?`}
        confirmLabel="Delete organization"
        pending={remove.isPending}
        onConfirm={() => {
          // Checked here rather than by disabling the button, so the reason is said, not guessed.
          if (typed.trim() !== org.name) setMismatch(true);
          else remove.mutate();
        }}
        onCancel={close}
      >
        <p>
          Every member loses access and its invitations are withdrawn. It must own no servers. Type{" "}
          <strong>{org.name}</strong> to confirm.
        </p>
        <Field
          label="Organization name"
          error={mismatch ? "does not match the organization's name" : undefined}
        >
          {(control) => (
            <input
              {...control}
              name="confirm-name"
              autoComplete="off"
              value={typed}
              onChange={(event) => {
                setTyped(event.target.value);
                setMismatch(false);
              }}
            />
          )}
        </Field>
        <ErrorAlert error={remove.error} />
      </ConfirmDialog>
    </section>
  );
}
