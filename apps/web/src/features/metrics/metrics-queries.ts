import type { ServerEvent } from "@mcphost/api-client";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../lib/api";
import { useEventStream } from "../../lib/event-stream";
import { EVENT_KINDS, type EventKind, type MetricsWindow, mergeEvents } from "./metrics-data";

/** How often the charts move on to the present while the page is visible. */
export const REFRESH_MS = 30_000;
/** Events are read in pages of the API's largest size, up to this many pages. */
const EVENT_PAGE = 1000;
const MAX_EVENT_PAGES = 20;

/**
 * The current time, advanced every REFRESH_MS while the page is visible and at once when it
 * becomes visible again; `refresh` advances it now. A hidden tab makes no requests.
 */
export function useNow(): { now: number; refresh: () => void } {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible") setNow(Date.now());
    };
    const timer = window.setInterval(tick, REFRESH_MS);
    document.addEventListener("visibilitychange", tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, []);
  return { now, refresh: () => setNow(Date.now()) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A 2xx answer's body: the client throws for every other status, so it is there. */
function body<T>(data: T | undefined): T {
  if (data === undefined) throw new Error("The server sent an empty answer");
  return data;
}

/** MCP calls, errors and latency per bucket of the window. */
export function useInvocationSummary(serverId: string, w: MetricsWindow) {
  return useQuery({
    queryKey: ["metrics", serverId, "calls", w.since, w.until, w.bucketSeconds],
    queryFn: async () =>
      body(
        (
          await api.GET("/api/servers/{serverId}/invocations/summary", {
            params: {
              path: { serverId },
              query: { since: iso(w.since), until: iso(w.until), bucketSeconds: w.bucketSeconds },
            },
          })
        ).data,
      ),
    placeholderData: keepPreviousData,
  });
}

/** CPU and memory, averaged per stats bucket of the window. */
export function useStatsHistory(serverId: string, w: MetricsWindow) {
  return useQuery({
    queryKey: ["metrics", serverId, "stats", w.since, w.until, w.statsBucketSeconds],
    queryFn: async () => {
      const { data } = await api.GET("/api/servers/{serverId}/stats/history", {
        params: {
          path: { serverId },
          query: { since: iso(w.since), until: iso(w.until), bucketSeconds: w.statsBucketSeconds },
        },
      });
      return body(data).items;
    },
    placeholderData: keepPreviousData,
  });
}

const eventsKey = (serverId: string, w: MetricsWindow, kinds: readonly EventKind[]) =>
  ["metrics", serverId, "events", w.since, w.until, kinds.join(",")] as const;

/**
 * The usage events of the window with the chosen kinds, kept live from the usage stream: events
 * that happen while the tab is open are added at once, without waiting for the next refresh.
 */
export function useUsageEvents(serverId: string, w: MetricsWindow, kinds: readonly EventKind[]) {
  const client = useQueryClient();
  const key = eventsKey(serverId, w, kinds);
  const query = useQuery({
    queryKey: key,
    enabled: kinds.length > 0,
    queryFn: async () => {
      let items: ServerEvent[] = [];
      for (let page = 0; page < MAX_EVENT_PAGES; page++) {
        const { data } = await api.GET("/api/servers/{serverId}/metrics", {
          params: {
            path: { serverId },
            query: {
              since: iso(w.since),
              until: iso(w.until),
              limit: EVENT_PAGE,
              ...(kinds.length < EVENT_KINDS.length ? { kind: kinds.join(",") } : {}),
              ...(items.length ? { after: items[items.length - 1]?.id } : {}),
            },
          },
        });
        const page = body(data).items;
        items = items.concat(page);
        if (page.length < EVENT_PAGE) break;
      }
      return items;
    },
    placeholderData: keepPreviousData,
  });
  const stream = useEventStream<{ usage: ServerEvent }>(
    kinds.length > 0 ? `/api/servers/${serverId}/metrics/stream` : null,
    {
      usage(event) {
        if (!kinds.includes(event.kind as EventKind)) return;
        client.setQueryData<ServerEvent[]>(key, (loaded) =>
          loaded ? mergeEvents(loaded, [event]) : loaded,
        );
      },
    },
  );
  return { query, stream };
}
