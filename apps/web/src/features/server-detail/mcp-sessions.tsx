import type { McpSession, Server } from "@mcphost/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { api, bodyOf } from "../../lib/api";

const sessionsKey = (serverId: string) => ["server-sessions", serverId] as const;

const TRANSPORTS: Record<McpSession["transport"], string> = {
  streamable: "Streamable HTTP",
  sse: "HTTP+SSE",
};

/**
 * The MCP sessions open on the server right now. Read when the tab opens and on Refresh only:
 * sessions come and go with every client, and a poll would mostly fetch the same list.
 */
export function McpSessions({ server }: { server: Server }) {
  const headingId = useId();
  const client = useQueryClient();
  const path = { params: { path: { serverId: server.id } } };
  const sessions = useQuery({
    queryKey: sessionsKey(server.id),
    queryFn: async () => (await bodyOf(api.GET("/api/servers/{serverId}/sessions", path))).items,
    staleTime: 0,
    refetchOnMount: "always",
  });
  const end = useMutation({
    mutationFn: async (sessionId: string) => {
      await api.DELETE("/api/servers/{serverId}/sessions/{sessionId}", {
        params: { path: { serverId: server.id, sessionId } },
      });
    },
    // Also after a failure: a 404 means the session ended by itself meanwhile.
    onSettled: () => client.invalidateQueries({ queryKey: sessionsKey(server.id) }),
  });

  return (
    <section className="card mcp-sessions" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>Open MCP sessions</h2>
        <button
          type="button"
          className="secondary"
          onClick={() => sessions.refetch()}
          disabled={sessions.isFetching}
          aria-busy={sessions.isFetching || undefined}
        >
          {sessions.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {sessions.isPending ? (
        <Loading label="Loading sessions…" />
      ) : sessions.isError ? (
        <LoadError error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <EmptyState title="No open sessions">
          <p>A session opens when an MCP client connects to this server's URL.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">Open sessions, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Transport</th>
                <th scope="col">Age</th>
                <th scope="col">Idle</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((session) => {
                const name = session.client
                  ? `${session.client.name} ${session.client.version}`
                  : "Unknown client";
                const ending = end.isPending && end.variables === session.id;
                return (
                  <tr key={session.id}>
                    <td data-label="Client">
                      {name}
                      <br />
                      <code className="muted session-id" title={session.id}>
                        {session.id.slice(0, 12)}…
                      </code>
                    </td>
                    <td data-label="Transport">{TRANSPORTS[session.transport]}</td>
                    <td data-label="Age">{formatDuration(session.ageSeconds)}</td>
                    <td data-label="Idle">{formatDuration(session.idleSeconds)}</td>
                    <td>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`End session ${session.id.slice(0, 12)}… of ${name}`}
                        disabled={end.isPending}
                        aria-busy={ending || undefined}
                        onClick={() => end.mutate(session.id)}
                      >
                        {ending ? "Ending…" : "End"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ErrorAlert error={end.error} />
    </section>
  );
}

/** 42 → "42 s", 125 → "2 min", 7300 → "2 h 1 min": a session's age at a glance. */
function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}
