import type { components } from "@mcphost/api-client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { orgKey } from "../orgs/org-queries";
import { Pager } from "./pager";
import { QuotaCell } from "./quota-cell";

type AdminOrg = components["schemas"]["AdminOrg"];

const PAGE_SIZE = 25;
const adminOrgsKey = ["admin", "orgs"] as const;

/** Every organization on the instance, oldest first, with its server quota editable. */
export function AdminOrgs() {
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState("");
  const orgs = useQuery({
    queryKey: [...adminOrgsKey, offset],
    queryFn: async () =>
      await bodyOf(api.GET("/api/admin/orgs", { params: { query: { limit: PAGE_SIZE, offset } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Organizations</h2>
      {orgs.isPending ? (
        <Loading label="Loading organizations…" />
      ) : orgs.isError ? (
        <LoadError error={orgs.error} onRetry={() => orgs.refetch()} />
      ) : orgs.data.items.length === 0 ? (
        <EmptyState title="No organizations yet">
          <p>Users create them on the Organizations page.</p>
        </EmptyState>
      ) : (
        <table className="stack-table admin-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Server quota</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.items.map((org) => (
              <OrgRow key={`${org.id}:${org.serverQuota}`} org={org} onSaved={setStatus} />
            ))}
          </tbody>
        </table>
      )}
      <StatusMessage>{status}</StatusMessage>
      {orgs.data ? (
        <Pager
          label="Pages of organizations"
          offset={offset}
          limit={PAGE_SIZE}
          total={orgs.data.total}
          busy={orgs.isFetching}
          onOffset={setOffset}
        />
      ) : null}
    </section>
  );
}

/** One organization's quota as a form spread over the row (see UserRow for why `form`). */
function OrgRow({ org, onSaved }: { org: AdminOrg; onSaved: (message: string) => void }) {
  const client = useQueryClient();
  const formId = useId();
  const [quota, setQuota] = useState(String(org.serverQuota));
  const save = useMutation({
    mutationFn: async (serverQuota: number) =>
      await bodyOf(
        api.PATCH("/api/admin/orgs/{orgId}", {
          params: { path: { orgId: org.id } },
          body: { serverQuota },
        }),
      ),
    onMutate: () => onSaved(""),
    onSuccess: async (saved) => {
      onSaved(`Saved ${saved.name}: ${saved.serverQuota} servers.`);
      await Promise.all([
        client.invalidateQueries({ queryKey: adminOrgsKey }),
        client.invalidateQueries({ queryKey: orgKey(org.id) }),
      ]);
    },
  });
  const fieldErrors = fieldErrorsOf(save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(Number(quota));
  }

  return (
    <tr>
      <td data-label="Name">
        <Link to={`/orgs/${org.id}`}>{org.name}</Link>
      </td>
      <td data-label="Slug">
        <code>{org.slug}</code>
      </td>
      <QuotaCell
        formId={formId}
        ownerLabel={org.name}
        value={quota}
        onChange={setQuota}
        error={fieldErrors.serverQuota}
      />
      <td data-label="Created">{formatTime(org.createdAt)}</td>
      <td>
        <form id={formId} onSubmit={onSubmit} aria-label={`Save ${org.name}`}>
          <button
            type="submit"
            className="secondary"
            disabled={quota === String(org.serverQuota) || save.isPending}
          >
            {save.isPending ? "Saving…" : "Save"}
            <span className="visually-hidden"> {org.name}</span>
          </button>
        </form>
        <ErrorAlert error={save.error} shownFields={["serverQuota"]} />
      </td>
    </tr>
  );
}
