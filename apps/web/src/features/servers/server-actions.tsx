import type { Server } from "@mcphost/api-client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { api, bodyOf } from "../../lib/api";
import { serverKey, serversKey, useStoreServer } from "./server-queries";

type Action = "start" | "stop" | "restart" | "redeploy";

const LABELS: Record<Action, { idle: string; pending: string }> = {
  start: { idle: "Start", pending: "Starting…" },
  stop: { idle: "Stop", pending: "Stopping…" },
  restart: { idle: "Restart", pending: "Restarting…" },
  redeploy: { idle: "Redeploy", pending: "Redeploying…" },
};

/**
 * Start, stop, restart, redeploy and delete, each showing its own progress; delete asks first.
 * The buttons offered follow the server's desired state (no "Start" for a server meant to run).
 */
export function ServerActions({ server, compact = false }: { server: Server; compact?: boolean }) {
  const store = useStoreServer();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const path = { params: { path: { serverId: server.id } } };

  const act = useMutation({
    mutationFn: async (action: Action) => {
      const route = `/api/servers/{serverId}/${action}` as const;
      return await bodyOf(api.POST(route, path));
    },
    onSuccess: store,
  });
  const remove = useMutation({
    mutationFn: async () => {
      await api.DELETE("/api/servers/{serverId}", path);
    },
    onSuccess: async () => {
      setConfirming(false);
      client.setQueryData<Server[]>(serversKey, (list) => list?.filter((s) => s.id !== server.id));
      client.removeQueries({ queryKey: serverKey(server.id) });
      navigate("/servers");
    },
  });

  const removing = server.status === "removing";
  const actions: Action[] =
    server.desiredState === "running" ? ["stop", "restart", "redeploy"] : ["start", "redeploy"];

  return (
    <div className="server-actions">
      <fieldset className="actions bare">
        <legend className="visually-hidden">Actions for {server.name}</legend>
        {actions.map((action) => {
          const pending = act.isPending && act.variables === action;
          return (
            <button
              key={action}
              type="button"
              className="secondary"
              disabled={act.isPending || removing}
              aria-busy={pending || undefined}
              onClick={() => act.mutate(action)}
            >
              {pending ? LABELS[action].pending : LABELS[action].idle}
            </button>
          );
        })}
        <button
          type="button"
          className="danger"
          disabled={removing}
          onClick={() => setConfirming(true)}
        >
          {removing ? "Deleting…" : "Delete"}
        </button>
      </fieldset>
      {compact && !act.error ? null : <ErrorAlert error={act.error} />}
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
    </div>
  );
}
