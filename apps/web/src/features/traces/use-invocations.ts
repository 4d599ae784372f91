import type { Invocation } from "@mcphost/api-client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { api } from "../../lib/api";
import { useEventStream } from "../../lib/event-stream";
import {
  invocationQuery,
  invocationStreamUrl,
  mergeInvocations,
  type TraceFilters,
} from "./trace-filters";

const PAGE_SIZE = 50;
/**
 * Live invocations kept in memory: a busy server would otherwise grow the list (and the page)
 * for as long as the tab stays open. Older ones are still one reload and "Load older" away.
 */
export const LIVE_CAP = 1_000;

/**
 * A server's invocations for one set of filters, newest first: pages from the list, plus new ones
 * from the live stream. Meant for a component keyed by the filters, so that changing them starts
 * afresh (a late event of the old stream can never land in the new list).
 */
export function useInvocations(serverId: string, filters: TraceFilters) {
  const pages = useInfiniteQuery({
    queryKey: ["invocations", serverId, filters],
    queryFn: async ({ pageParam }) =>
      pageOf(
        await api.GET("/api/servers/{serverId}/invocations", {
          params: {
            path: { serverId },
            query: {
              ...invocationQuery(filters),
              limit: PAGE_SIZE,
              ...(pageParam === null ? {} : { before: pageParam }),
            },
          },
        }),
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });

  // The stream resumes after the newest invocation of the first load, fixed once: a later
  // refetch must not reopen it, and EventSource's own Last-Event-ID takes over on reconnects.
  const [after, setAfter] = useState<number | null>(null);
  const loaded = pages.data !== undefined;
  useEffect(() => {
    if (!loaded || after !== null) return;
    setAfter(pages.data?.pages[0]?.items[0]?.id ?? 0);
  }, [loaded, after, pages.data]);

  const [live, setLive] = useState<{ items: Invocation[]; dropped: number }>({
    items: [],
    dropped: 0,
  });
  const connection = useEventStream<{ invocation: Invocation }>(
    after === null ? null : invocationStreamUrl(serverId, filters, after),
    {
      invocation: (item) =>
        setLive(({ items, dropped }) =>
          items.length < LIVE_CAP
            ? { items: [item, ...items], dropped }
            : { items: [item, ...items.slice(0, LIVE_CAP - 1)], dropped: dropped + 1 },
        ),
    },
  );

  const items = useMemo(
    () =>
      // Once live ones were dropped, the first pages are no longer next to the kept ones.
      live.dropped > 0
        ? live.items
        : mergeInvocations(live.items, pages.data?.pages.map((page) => page.items) ?? []),
    [live, pages.data],
  );

  return {
    items,
    pages,
    /** Live invocations dropped from memory since the tab opened (the list is capped). */
    dropped: live.dropped,
    connection: after === null ? ("connecting" as const) : connection,
  };
}

/**
 * One invocation by id, for a link to one not among those loaded. The API has no single-item
 * route: the newest invocation before id + 1 is that one, if it still exists.
 */
export function useInvocation(serverId: string, id: number | null, enabled: boolean) {
  return useQuery({
    queryKey: ["invocation", serverId, id],
    enabled: enabled && id !== null,
    queryFn: async () => {
      const page = pageOf(
        await api.GET("/api/servers/{serverId}/invocations", {
          params: { path: { serverId }, query: { before: (id as number) + 1, limit: 1 } },
        }),
      );
      const found = page.items[0];
      return found && found.id === id ? found : null;
    },
  });
}

interface InvocationPage {
  items: Invocation[];
  nextBefore: number | null;
}

/**
 * The JSON page of an answer. The route may also answer an event stream (typed as a string),
 * which these requests never ask for; failures have already thrown ApiError.
 */
function pageOf({ data }: { data?: InvocationPage | string | undefined }): InvocationPage {
  if (typeof data !== "object") throw new Error("The request list did not come back as JSON");
  return data;
}
