import type { Server } from "@mcphost/api-client";
import { useMutation } from "@tanstack/react-query";
import { ErrorAlert } from "../../components/error-alert";
import { api, bodyOf } from "../../lib/api";
import { DeleteServerButton } from "./delete-server";
import { useStoreServer } from "./server-queries";

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
  const act = useMutation({
    mutationFn: async (action: Action) => {
      const route = `/api/servers/{serverId}/${action}` as const;
      return await bodyOf(api.POST(route, { params: { path: { serverId: server.id } } }));
    },
    onSuccess: store,
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
        <DeleteServerButton server={server} label="Delete" />
      </fieldset>
      {compact && !act.error ? null : <ErrorAlert error={act.error} />}
    </div>
  );
}
