import { ApiError, type Org } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { DeleteOrg } from "./delete-org";
import { OrgInvitations } from "./org-invitations";
import { OrgMembers } from "./org-members";
import {
  orgKey,
  quotaText,
  roleAtLeast,
  useInvalidateOrgs,
  useOrg,
  useServerCount,
} from "./org-queries";
import { useOwnerScope } from "./owner-scope";
import "./orgs.css";

/**
 * /orgs/:orgId: an organization's details, members and invitations. What each reader may change
 * follows their role (site admins count as owners); the server enforces the same rules.
 */
export default function OrgPage() {
  const { orgId = "" } = useParams();
  const query = useOrg(orgId);

  if (query.isPending) return <Loading label="Loading organization…" />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <section className="panel">
          <h1>Organization not found</h1>
          <p>
            It was deleted, or you are not a member.{" "}
            <Link to="/orgs">Back to your organizations</Link>
          </p>
        </section>
      );
    }
    return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  }

  const org = query.data;
  const isAdmin = roleAtLeast(org.role, "admin");
  return (
    <article aria-labelledby="org-title">
      <p className="breadcrumb">
        <Link to="/orgs">Organizations</Link> / {org.slug}
      </p>
      <header className="page-header">
        <h1 id="org-title">{org.name}</h1>
        <SwitchWorkspaceButton org={org} />
      </header>
      <OrgSummary org={org} />
      {isAdmin ? <RenameOrgForm org={org} /> : null}
      <OrgMembers org={org} />
      {isAdmin ? <OrgInvitations org={org} /> : null}
      {org.role === "owner" ? <DeleteOrg org={org} /> : null}
    </article>
  );
}

/** Makes this organization the workspace whose servers the dashboard shows, and goes there. */
function SwitchWorkspaceButton({ org }: { org: Org }) {
  const { scope, setScope } = useOwnerScope();
  const navigate = useNavigate();
  const current = scope.type === "org" && scope.orgId === org.id;
  return (
    <button
      type="button"
      className={current ? "secondary" : ""}
      onClick={() => {
        setScope({ type: "org", orgId: org.id });
        navigate("/servers");
      }}
    >
      {current ? "Go to its servers" : "Switch to this workspace"}
    </button>
  );
}

function OrgSummary({ org }: { org: Org }) {
  const used = useServerCount({ type: "org", id: org.id });
  return (
    <section className="panel" aria-label="Summary">
      <dl className="details">
        <div>
          <dt>Slug</dt>
          <dd>
            <code>{org.slug}</code>
          </dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd>{org.role}</dd>
        </div>
        <div>
          <dt>Server quota</dt>
          <dd>{quotaText(used, org.serverQuota)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(org.createdAt)}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Renames the organization; its slug (and so its servers' addresses) stays as it was. */
function RenameOrgForm({ org }: { org: Org }) {
  const headingId = useId();
  const client = useQueryClient();
  const invalidateOrgs = useInvalidateOrgs();
  const [name, setName] = useState(org.name);
  const rename = useMutation({
    mutationFn: async (input: { name: string }) =>
      await bodyOf(
        api.PATCH("/api/orgs/{orgId}", { params: { path: { orgId: org.id } }, body: input }),
      ),
    onSuccess: async (updated) => {
      client.setQueryData(orgKey(org.id), updated);
      setName(updated.name);
      await invalidateOrgs();
    },
  });
  const fieldErrors = fieldErrorsOf(rename.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ name });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Name</h2>
      <form onSubmit={onSubmit} aria-busy={rename.isPending} className="inline-form">
        <Field
          label="Organization name"
          error={fieldErrors.name}
          hint="The slug does not change, so server addresses stay the same."
        >
          {(control) => (
            <input
              {...control}
              name="name"
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={rename.isPending || name === org.name}>
          {rename.isPending ? "Saving…" : "Rename"}
        </button>
      </form>
      <ErrorAlert error={rename.error} shownFields={["name"]} />
      <StatusMessage>{rename.isSuccess ? `Renamed to ${rename.data.name}.` : null}</StatusMessage>
    </section>
  );
}
