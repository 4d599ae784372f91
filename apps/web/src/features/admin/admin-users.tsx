import { ApiError, type User } from "@mcphost/api-client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { ME_KEY, useMe } from "../auth/use-session";
import { Pager } from "./pager";
import { QuotaCell } from "./quota-cell";

const PAGE_SIZE = 25;
const usersKey = ["admin", "users"] as const;

type Role = User["role"];

/** Every account on the instance, oldest first, with its role and server quota editable. */
export function AdminUsers() {
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState("");
  const users = useQuery({
    queryKey: [...usersKey, offset],
    queryFn: async () =>
      await bodyOf(
        api.GET("/api/admin/users", { params: { query: { limit: PAGE_SIZE, offset } } }),
      ),
    // The old page stays on screen while the next loads, so the table does not jump.
    placeholderData: keepPreviousData,
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Users</h2>
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <LoadError error={users.error} onRetry={() => users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <EmptyState title="No users on this page" />
      ) : (
        <table className="stack-table admin-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Server quota</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              // Keyed on the saved values too: after a save the row starts again from them.
              <UserRow
                key={`${user.id}:${user.role}:${user.serverQuota}`}
                user={user}
                onSaved={setStatus}
              />
            ))}
          </tbody>
        </table>
      )}
      <StatusMessage>{status}</StatusMessage>
      {users.data ? (
        <Pager
          label="Pages of users"
          offset={offset}
          limit={PAGE_SIZE}
          total={users.data.total}
          busy={users.isFetching}
          onOffset={setOffset}
        />
      ) : null}
    </section>
  );
}

/**
 * One user as a small form spread over the row's cells (the controls name it with `form`, since a
 * form cannot wrap a table row). A failed save keeps what was typed.
 */
function UserRow({ user, onSaved }: { user: User; onSaved: (message: string) => void }) {
  const me = useMe();
  const client = useQueryClient();
  const formId = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [quota, setQuota] = useState(String(user.serverQuota));
  const save = useMutation({
    mutationFn: async (body: { role?: Role; serverQuota?: number }) =>
      await bodyOf(
        api.PATCH("/api/admin/users/{userId}", {
          params: { path: { userId: user.id } },
          body,
        }),
      ),
    onMutate: () => onSaved(""),
    onSuccess: async (saved) => {
      onSaved(`Saved ${saved.email}: ${saved.role}, ${saved.serverQuota} servers.`);
      await client.invalidateQueries({ queryKey: usersKey });
      // An admin who made themselves a plain user loses this page; the session says so.
      if (saved.id === me.id) await client.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const fieldErrors = fieldErrorsOf(save.error);
  const dirty = role !== user.role || quota !== String(user.serverQuota);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({
      ...(role !== user.role ? { role } : {}),
      ...(quota !== String(user.serverQuota) ? { serverQuota: Number(quota) } : {}),
    });
  }

  return (
    <tr>
      <td data-label="Email">
        {user.email}
        {user.id === me.id ? <span className="muted"> (you)</span> : null}
      </td>
      <td data-label="Role">
        <select
          form={formId}
          aria-label={`Role of ${user.email}`}
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <QuotaCell
        formId={formId}
        ownerLabel={user.email}
        value={quota}
        onChange={setQuota}
        error={fieldErrors.serverQuota}
      />
      <td data-label="Created">{formatTime(user.createdAt)}</td>
      <td>
        <form id={formId} onSubmit={onSubmit} aria-label={`Save ${user.email}`}>
          <button type="submit" className="secondary" disabled={!dirty || save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
            <span className="visually-hidden"> {user.email}</span>
          </button>
        </form>
        <ErrorAlert error={explain(save.error, user)} shownFields={["serverQuota"]} />
      </td>
    </tr>
  );
}

/** LAST_ADMIN names the rule; this says what to do about it. */
function explain(error: unknown, user: User): unknown {
  if (!(error instanceof ApiError) || error.problem.code !== "LAST_ADMIN") return error;
  return new ApiError({
    ...error.problem,
    detail: `${user.email} is the only admin, and the instance needs one. Make another user admin first.`,
  });
}
