import type { Server } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { api } from "../../lib/api";
import { serverKey, serversKey } from "../servers/server-queries";

/** The end of the settings: deleting the server, after a confirmation that names what goes. */
export function DangerZone({ server }: { server: Server }) {
  const [confirming, setConfirming] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: async () => {
      await api.DELETE("/api/servers/{serverId}", {
        params: { path: { serverId: server.id } },
      });
    },
    onSuccess: () => {
      setConfirming(false);
      // Leave first: the server page would otherwise refetch a server that is going away.
      navigate("/servers");
      client.setQueryData<Server[]>(serversKey, (list) => list?.filter((s) => s.id !== server.id));
      client.removeQueries({ queryKey: serverKey(server.id) });
    },
  });
  const removing = server.status === "removing";

  return (
    <section className="danger-zone" aria-labelledby="danger-zone-title">
      <h2 id="danger-zone-title">Danger zone</h2>
      <div className="danger-zone-row">
        <div>
          <p className="danger-zone-what">Delete this server</p>
          <p className="muted">
            Stops it and removes its instances, keys, files and logs. This cannot be undone.
          </p>
        </div>
        <button
          type="button"
          className="danger"
          disabled={removing}
          onClick={() => setConfirming(true)}
        >
          {removing ? "Deleting…" : "Delete server"}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${server.name}?`}
        confirmLabel="Delete server"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
      >
        <p>
          The server stops, and its instances, keys, files in /data and logs are removed. Clients
          using <code>{server.mcpUrl}</code> will get errors. This cannot be undone.
        </p>
        <ErrorAlert error={remove.error} />
      </ConfirmDialog>
    </section>
  );
}
