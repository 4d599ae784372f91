import type { Server, ServerEvent, ServerStatus } from "@mcphost/api-client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, bodyOf } from "../../lib/api";
import { useEventStream } from "../../lib/event-stream";

export const serversKey = ["servers"] as const;
export const serverKey = (serverId: string) => ["server", serverId] as const;

/** Every server the reader may see (their own and their organizations'). */
export function useServers() {
  return useQuery({
    queryKey: serversKey,
    queryFn: async () => (await bodyOf(api.GET("/api/servers"))).items,
  });
}

/** One server; a 404 (gone, or never the reader's) is final and not retried. */
export function useServer(serverId: string) {
  return useQuery({
    queryKey: serverKey(serverId),
    queryFn: async () =>
      await bodyOf(api.GET("/api/servers/{serverId}", { params: { path: { serverId } } })),
  });
}

/** Writes a server the API answered with into both caches (its own and the list). */
export function useStoreServer() {
  const client = useQueryClient();
  return (server: Server) => {
    client.setQueryData(serverKey(server.id), server);
    client.setQueryData<Server[]>(serversKey, (list) =>
      list?.map((s) => (s.id === server.id ? server : s)),
    );
  };
}

interface StatusChange {
  from: ServerStatus;
  /** `removed` is the last change of a deleted server: it is gone from then on. */
  to: ServerStatus | "removed";
  reason?: string;
}

/**
 * Keeps the cached servers' status live from the server's status stream, without polling:
 * `serverId` follows one server, without it every server the reader may see. Each change is
 * applied at once; the server is then fetched again for what else the change moved. A server
 * whose removal finished leaves the list, and its own page learns it is gone.
 */
export function useLiveStatus(serverId?: string) {
  const client = useQueryClient();
  const url = serverId ? `/api/servers/${serverId}/events` : "/api/servers/events";
  return useEventStream<{ status: ServerEvent }>(url, {
    status(event) {
      const change = event.details as unknown as StatusChange;
      const { to } = change;
      if (to === "removed") {
        client.setQueryData<Server[]>(serversKey, (list) =>
          list?.filter((s) => s.id !== event.serverId),
        );
        void client.invalidateQueries({ queryKey: serverKey(event.serverId) });
        return;
      }
      const patch = (server: Server): Server =>
        server.id === event.serverId
          ? { ...server, status: to, statusReason: change.reason ?? null }
          : server;
      client.setQueryData<Server>(serverKey(event.serverId), (s) => (s ? patch(s) : s));
      client.setQueryData<Server[]>(serversKey, (list) => list?.map(patch));
      void client.invalidateQueries({ queryKey: serverKey(event.serverId) });
      // A server the list has not seen (made in another tab) appears with its first change.
      const known = client.getQueryData<Server[]>(serversKey)?.some((s) => s.id === event.serverId);
      if (!known) void client.invalidateQueries({ queryKey: serversKey });
    },
  });
}
