import type { Server } from "@mcphost/api-client";
import { useQuery } from "@tanstack/react-query";
import { api, bodyOf } from "../../lib/api";

/** The whole discovery answer for a server, as the API gives it; shared by Capabilities and Playground. */
export const capabilitiesKey = (serverId: string) => ["capabilities", serverId] as const;

/** How often to look again while a running server has not been discovered yet. */
const UNDISCOVERED_RETRY_MS = 2_000;

/**
 * What discovery found on a server. Discovery runs as the server turns running, a moment after the
 * status change the page already hears of; until it has answered, this reads again every 2 s.
 */
export function useCapabilities(server: Server) {
  const running = server.status === "running";
  return useQuery({
    queryKey: capabilitiesKey(server.id),
    queryFn: () =>
      bodyOf(
        api.GET("/api/servers/{serverId}/capabilities", {
          params: { path: { serverId: server.id } },
        }),
      ),
    refetchInterval: (query) =>
      running && !query.state.data?.discoveredAt ? UNDISCOVERED_RETRY_MS : false,
  });
}
