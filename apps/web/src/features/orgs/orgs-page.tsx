import type { Org } from "@mcphost/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { MyInvitations } from "./my-invitations";
import { useInvalidateOrgs, useOrgs } from "./org-queries";
import "./orgs.css";

/** /orgs: the organizations the reader belongs to, invitations waiting, and creating one. */
export default function OrgsPage() {
  return (
    <>
      <div className="page-header">
        <h1>Organizations</h1>
      </div>
      <p className="muted lead">
        An organization owns servers together: its members use them, its admins manage them.
      </p>
      <MyOrgs />
      <MyInvitations />
      <CreateOrgForm />
    </>
  );
}

function MyOrgs() {
  const headingId = useId();
  const orgs = useOrgs();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Your organizations</h2>
      {orgs.isPending ? (
        <Loading label="Loading organizations…" />
      ) : orgs.isError ? (
        <LoadError error={orgs.error} onRetry={() => orgs.refetch()} />
      ) : orgs.data.length === 0 ? (
        <EmptyState title="You are not in any organization yet">
          <p>Create one below, or ask an organization's admin to invite you.</p>
        </EmptyState>
      ) : (
        <table className="stack-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Your role</th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.map((org) => (
              <tr key={org.id}>
                <td data-label="Name">
                  <Link to={`/orgs/${org.id}`}>{org.name}</Link>
                </td>
                <td data-label="Slug">
                  <code>{org.slug}</code>
                </td>
                <td data-label="Your role">
                  <span className="badge">{org.role}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Creates an organization (the reader becomes its owner). It does not switch the workspace: the
 * new organization appears in the header's switcher and a link leads to it.
 */
function CreateOrgForm() {
  const headingId = useId();
  const [name, setName] = useState("");
  const invalidateOrgs = useInvalidateOrgs();
  const create = useMutation({
    mutationFn: async (input: { name: string }) =>
      await bodyOf(api.POST("/api/orgs", { body: input })),
    onSuccess: async () => {
      setName("");
      await invalidateOrgs();
    },
  });
  const fieldErrors = fieldErrorsOf(create.error);
  const created: Org | undefined = create.data;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Create an organization</h2>
      <form onSubmit={onSubmit} aria-busy={create.isPending} className="inline-form">
        <Field label="Organization name" error={fieldErrors.name} hint="You become its owner.">
          {(control) => (
            <input
              {...control}
              name="name"
              required
              maxLength={100}
              autoComplete="organization"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create organization"}
        </button>
      </form>
      <ErrorAlert error={create.error} shownFields={["name"]} />
      <StatusMessage>
        {created ? (
          <>
            Created <Link to={`/orgs/${created.id}`}>{created.name}</Link>. Pick it in the Workspace
            switcher to work on its servers.
          </>
        ) : null}
      </StatusMessage>
    </section>
  );
}
