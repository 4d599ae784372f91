import type { CreatedServerKey, Server, ServerKey } from "@mcphost/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { formatRelative, formatTime } from "../../lib/format";
import { ManageError } from "./manage-error";
import { SecretOnce } from "./secret-once";

export const serverKeysKey = (serverId: string) => ["server-keys", serverId] as const;

type Pending = { action: "rotate" | "revoke"; key: ServerKey };

/**
 * The server's MCP keys: list, create, rotate and revoke. A new or rotated key's secret is shown
 * once, right here; afterwards only its prefix tells it apart.
 */
export function ServerKeys({ server }: { server: Server }) {
  const headingId = useId();
  const client = useQueryClient();
  const path = { params: { path: { serverId: server.id } } };
  const keys = useQuery({
    queryKey: serverKeysKey(server.id),
    queryFn: async () => (await bodyOf(api.GET("/api/servers/{serverId}/keys", path))).items,
  });
  const [revealed, setRevealed] = useState<{ title: string; key: CreatedServerKey } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: serverKeysKey(server.id) });

  const change = useMutation({
    mutationFn: async ({ action, key }: Pending) => {
      const keyPath = { params: { path: { serverId: server.id, keyId: key.id } } };
      if (action === "revoke") {
        await api.DELETE("/api/servers/{serverId}/keys/{keyId}", keyPath);
        return null;
      }
      return await bodyOf(api.POST("/api/servers/{serverId}/keys/{keyId}/rotate", keyPath));
    },
    onSuccess: (rotated) => {
      setPending(null);
      if (rotated) setRevealed({ title: `New secret for “${rotated.name}”`, key: rotated });
      void refresh();
    },
  });

  return (
    <section id="keys" className="card server-keys" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1}>
        API keys
      </h2>
      <p className="muted">
        MCP clients send one of these as <code>Authorization: Bearer mhk_…</code>. Each key works
        for this server only. Only a hash is stored, so a key is shown once, when it is made.
      </p>
      {revealed ? (
        <SecretOnce
          title={revealed.title}
          secret={revealed.key.key}
          onDone={() => setRevealed(null)}
        />
      ) : null}
      {keys.isPending ? (
        <Loading label="Loading keys…" />
      ) : keys.isError ? (
        <LoadError error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No active keys">
          <p>Only a public server, or a personal access token with the mcp scope, gets in now.</p>
        </EmptyState>
      ) : (
        <KeyTable keys={keys.data} onAction={(p) => setPending(p)} />
      )}
      {change.error && !pending ? <ManageError error={change.error} /> : null}
      <CreateKey
        serverId={server.id}
        onCreated={(key) => {
          setRevealed({ title: `New key “${key.name}”`, key });
          void refresh();
        }}
      />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.action === "rotate"
            ? `Rotate “${pending.key.name}”?`
            : `Revoke “${pending?.key.name ?? ""}”?`
        }
        confirmLabel={pending?.action === "rotate" ? "Rotate key" : "Revoke key"}
        pending={change.isPending}
        onConfirm={() => pending && change.mutate(pending)}
        onCancel={() => {
          setPending(null);
          change.reset();
        }}
      >
        <p>
          {pending?.action === "rotate"
            ? "The key gets a new secret, shown once. The current secret stops working at once: give clients the new one."
            : "The key stops working at once and leaves the list. Clients using it are refused."}
        </p>
        <ManageError error={pending ? change.error : null} />
      </ConfirmDialog>
    </section>
  );
}

function KeyTable({ keys, onAction }: { keys: ServerKey[]; onAction: (p: Pending) => void }) {
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <caption className="visually-hidden">Active keys, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td data-label="Name">{key.name}</td>
              <td data-label="Key">
                <code>{key.prefix}…</code>
              </td>
              <td data-label="Created">
                <time dateTime={key.createdAt} title={formatTime(key.createdAt)}>
                  {formatRelative(key.createdAt)}
                </time>
              </td>
              <td data-label="Last used">
                {key.lastUsedAt ? formatRelative(key.lastUsedAt) : "never"}
              </td>
              <td>
                <div className="actions row-actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Rotate ${key.name}`}
                    onClick={() => onAction({ action: "rotate", key })}
                  >
                    Rotate
                  </button>
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Revoke ${key.name}`}
                    onClick={() => onAction({ action: "revoke", key })}
                  >
                    Revoke
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateKey(props: { serverId: string; onCreated: (key: CreatedServerKey) => void }) {
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: async (keyName: string) =>
      await bodyOf(
        api.POST("/api/servers/{serverId}/keys", {
          params: { path: { serverId: props.serverId } },
          body: { name: keyName },
        }),
      ),
    onSuccess: (key) => {
      setName("");
      props.onCreated(key);
    },
  });
  const fieldErrors = fieldErrorsOf(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  }

  return (
    <>
      <form className="inline-form create-key" onSubmit={submit}>
        <Field
          label="New key name"
          hint="Say who or what uses it, e.g. “Claude Desktop on my laptop”."
          error={fieldErrors.name}
        >
          {(control) => (
            <input
              {...control}
              value={name}
              maxLength={100}
              required
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={create.isPending} aria-busy={create.isPending || undefined}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </form>
      <ManageError error={fieldErrors.name ? null : create.error} />
    </>
  );
}
