import type { LogLine, ServerEvent, ServerStatus } from "@mcphost/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, bodyOf } from "../../lib/api";
import { type StreamState, useEventStream } from "../../lib/event-stream";
import type { StatusChange, SystemLine } from "./deploy-steps";

/** System lines kept in memory: the latest attempt's are what the steps show. */
const MAX_LINES = 300;
/** Log lines read before going live; system lines hide among the server's own output. */
const HISTORY_LINES = 500;

export interface DeployHistory {
  changes: StatusChange[];
  systemLines: SystemLine[];
  /** The status stream's state: its replay is the history, so "connecting" means still loading. */
  stream: StreamState;
}

/**
 * The server's status history and lifecycle log lines, kept live. Status changes come from the
 * status stream read from the start (`after=0` replays every stored change, then goes live); log
 * lines from the newest page of the log, then the log stream from right after it.
 */
export function useDeployHistory(serverId: string): DeployHistory {
  const [changes, setChanges] = useState<StatusChange[]>([]);
  const [live, setLive] = useState<SystemLine[]>([]);

  const stream = useEventStream<{ status: ServerEvent }>(
    `/api/servers/${serverId}/events?after=0`,
    {
      status(event) {
        const change = toChange(event);
        // A reconnect resumes after the last id, but never trust that to hold across re-renders.
        setChanges((list) => ((list.at(-1)?.id ?? 0) >= change.id ? list : [...list, change]));
      },
    },
  );

  const recent = useQuery({
    queryKey: ["server-system-lines", serverId],
    queryFn: async () => {
      const page = await bodyOf(
        api.GET("/api/servers/{serverId}/logs", {
          params: { path: { serverId }, query: { limit: HISTORY_LINES } },
        }),
      );
      return page.items;
    },
    // Read once per visit: the stream below keeps the lines current from there.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const after = recent.data ? (recent.data.at(-1)?.id ?? 0) : undefined;
  // Without the page (it failed), the stream's own opening backlog stands in for it.
  const logUrl = recent.isPending
    ? null
    : `/api/servers/${serverId}/logs/stream${after === undefined ? "" : `?after=${after}`}`;
  useEventStream<{ log: LogLine }>(logUrl, {
    log(entry) {
      if (entry.stream !== "system") return;
      setLive((list) =>
        (list.at(-1)?.id ?? 0) >= entry.id
          ? list
          : [...list, toSystemLine(entry)].slice(-MAX_LINES),
      );
    },
  });

  const stored = (recent.data ?? []).filter((l) => l.stream === "system").map(toSystemLine);
  const lastStored = stored.at(-1)?.id ?? 0;
  return {
    changes,
    systemLines: [...stored, ...live.filter((l) => l.id > lastStored)],
    stream,
  };
}

function toChange(event: ServerEvent): StatusChange {
  const details = event.details as { from: ServerStatus; to: ServerStatus; reason?: string };
  return {
    id: event.id,
    time: event.time,
    from: details.from,
    to: details.to,
    reason: details.reason ?? null,
  };
}

const toSystemLine = (l: LogLine): SystemLine => ({ id: l.id, time: l.time, line: l.line });
