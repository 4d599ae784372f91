import type { AccessToken } from "@mcphost/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ErrorAlert } from "../../components/error-alert";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf } from "../../lib/api";
import { formatRelative, formatTime } from "../../lib/format";
import { type CreatedToken, CreateTokenForm } from "./create-token-form";

export const tokensKey = ["tokens"] as const;

/** Personal access tokens: for the CLI, scripts and MCP clients that cannot use a browser session. */
export function AccessTokens() {
  const headingId = useId();
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: async () => (await bodyOf(api.GET("/api/tokens"))).items,
  });
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);
  const [status, setStatus] = useState("");

  const revoke = useMutation({
    mutationFn: async (token: AccessToken) =>
      api.DELETE("/api/tokens/{tokenId}", { params: { path: { tokenId: token.id } } }),
    onSuccess: async (_, token) => {
      setRevoking(null);
      setStatus(`Revoked ${token.name}. Anything using it is refused from now on.`);
      if (created?.id === token.id) setCreated(null);
      await client.invalidateQueries({ queryKey: tokensKey });
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Personal access tokens</h2>
      <p className="muted">
        A token acts as you, limited to the scopes it is given: for the command line, scripts and
        MCP clients. Send it as <code>Authorization: Bearer mch_…</code>.
      </p>
      {created ? <NewToken token={created} onDone={() => setCreated(null)} /> : null}
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <LoadError error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No tokens yet">
          <p>Create one below when a tool needs to act for you.</p>
        </EmptyState>
      ) : (
        <TokenTable
          tokens={tokens.data}
          onRevoke={(token) => {
            revoke.reset();
            setRevoking(token);
          }}
        />
      )}
      <StatusMessage>{status}</StatusMessage>
      <CreateTokenForm
        onCreated={async (token) => {
          setStatus("");
          setCreated(token);
          await client.invalidateQueries({ queryKey: tokensKey });
        }}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name}?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      >
        <p>
          The token stops working at once: any script or client that uses it is refused. This cannot
          be undone.
        </p>
        <ErrorAlert error={revoke.error} />
      </ConfirmDialog>
    </section>
  );
}

function TokenTable(props: { tokens: AccessToken[]; onRevoke: (token: AccessToken) => void }) {
  return (
    <table className="stack-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((token) => (
          <tr key={token.id}>
            <td data-label="Name">
              {token.name} <code className="muted">{token.prefix}…</code>
            </td>
            <td data-label="Scopes">
              <span className="badges">
                {token.scopes.map((scope) => (
                  <span key={scope} className="badge">
                    {scope}
                  </span>
                ))}
              </span>
            </td>
            <td data-label="Created">{formatTime(token.createdAt)}</td>
            <td data-label="Expires">{token.expiresAt ? formatTime(token.expiresAt) : "never"}</td>
            <td data-label="Last used">{formatRelative(token.lastUsedAt)}</td>
            <td>
              <button type="button" className="danger" onClick={() => props.onRevoke(token)}>
                Revoke<span className="visually-hidden"> {token.name}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The one moment the token's value exists outside the server, which keeps only its hash. The box
 * takes focus when it appears so that a screen reader reads the warning with it.
 */
function NewToken({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const headingId = useId();
  useEffect(() => ref.current?.focus(), []);
  return (
    <section ref={ref} tabIndex={-1} className="new-token" aria-labelledby={headingId}>
      <h3 id={headingId}>Your new token “{token.name}”</h3>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> Store it like a password.
      </p>
      <div className="token-value">
        <code>{token.token}</code>
        <CopyButton text={token.token} label="Copy token" />
      </div>
      <button type="button" className="secondary" onClick={onDone}>
        Done, I copied it
      </button>
    </section>
  );
}
