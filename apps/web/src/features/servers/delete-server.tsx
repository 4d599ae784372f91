import type { Server } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { api } from "../../lib/api";
import { serverKey, serversKey } from "./server-queries";

/**
 * A delete button that asks first, naming what goes, then deletes the server and returns to the
 * list. Used in the action bar and in the settings' danger zone.
 */
export function DeleteServerButton({ server, label }: { server: Server; label: string }) {
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
    <>
      <button
        type="button"
        className="danger"
        disabled={removing}
        onClick={() => setConfirming(true)}
      >
        {removing ? "Deleting…" : label}
      </button>
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
    </>
  );
}
