import type { Server } from "@mcphost/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { api, bodyOf } from "../../lib/api";
import { useStoreServer } from "../servers/server-queries";
import { ManageError } from "./manage-error";

/** Where MCP clients connect, and who may: with a key, or anyone (a public server). */
export function ServerAccess({ server }: { server: Server }) {
  const headingId = useId();
  const hintId = useId();
  const store = useStoreServer();
  const [confirming, setConfirming] = useState(false);
  const [saving, setSaving] = useState<boolean | null>(null);
  const update = useMutation({
    mutationFn: async (isPublic: boolean) => {
      setSaving(isPublic);
      return await bodyOf(
        api.PATCH("/api/servers/{serverId}", {
          params: { path: { serverId: server.id } },
          body: { public: isPublic },
        }),
      );
    },
    onSuccess: (saved) => {
      setConfirming(false);
      store(saved);
    },
    onSettled: () => setSaving(null),
  });

  return (
    <section className="card server-access" aria-labelledby={headingId}>
      <h2 id={headingId}>Connect</h2>
      <p className="field-label">MCP URL (Streamable HTTP)</p>
      <div className="copy-row">
        <code>{server.mcpUrl}</code>
        <CopyButton text={server.mcpUrl} label="Copy URL" />
      </div>
      <p>
        <Link to={`/servers/${server.id}/connect`}>
          Set up a client: Claude, Cursor, VS Code, code…
        </Link>
      </p>

      <div className="public-toggle">
        <label>
          <input
            type="checkbox"
            // While saving, show the value being saved rather than the one it replaces.
            checked={saving ?? server.public}
            disabled={update.isPending}
            aria-describedby={hintId}
            onChange={(event) => {
              // Opening up asks first; closing again is always the safe direction.
              if (event.target.checked) setConfirming(true);
              else update.mutate(false);
            }}
          />{" "}
          Public
        </label>
        <p id={hintId} className="field-hint">
          {server.public ? (
            <>
              <span aria-hidden="true">▲ </span>
              <strong>Public:</strong> anyone with the URL can connect and use its tools without a
              key.
            </>
          ) : (
            <>
              <span aria-hidden="true">■ </span>
              <strong>Private:</strong> clients need one of its API keys (or a personal access token
              with the mcp scope). Public would let anyone with the URL connect without a key.
            </>
          )}
        </p>
      </div>
      {!confirming ? <ManageError error={update.error} /> : null}
      <ConfirmDialog
        open={confirming}
        title={`Make ${server.name} public?`}
        confirmLabel="Make public"
        pending={update.isPending}
        onConfirm={() => update.mutate(true)}
        onCancel={() => {
          setConfirming(false);
          update.reset();
        }}
      >
        <p>
          Anyone who has <code>{server.mcpUrl}</code> can then connect and call its tools without a
          key, and it is listed in this host's public AI catalog. Keys keep working.
        </p>
        <ManageError error={confirming ? update.error : null} />
      </ConfirmDialog>
    </section>
  );
}
