import type { LogLine } from "@mcphost/api-client";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { api } from "../../lib/api";
import { type StreamState, useEventStream } from "../../lib/event-stream";
import { createLogBuffer, type LogSnapshot } from "./log-buffer";

/** How many older lines one scroll to the top asks for. */
export const HISTORY_PAGE = 200;

/** Where live lines come from; the server's SSE stream unless a test hands in its own. */
export interface LogSource {
  /** Starts delivering lines (the newest ones, then live); returns the function that stops it. */
  open(sink: { lines(lines: LogLine[]): void; state(state: StreamState): void }): () => void;
}

/** The `limit` lines right before `beforeId`, oldest first. */
export type LogHistory = (beforeId: number, limit: number) => Promise<LogLine[]>;

export interface LogTailOptions {
  serverId: string;
  source?: LogSource | undefined;
  history?: LogHistory | undefined;
  cap?: number | undefined;
}

export interface LogTail extends LogSnapshot {
  /** The live stream's state, for "Live" / "Reconnecting…". */
  connection: StreamState;
  loadingOlder: boolean;
  olderError: unknown;
  /** Fetches the page before the first line shown; does nothing while one is on its way. */
  loadOlder(): void;
  pause(): void;
  resume(): void;
  /** Every line kept (shown or held while paused), oldest first. */
  allLines(): LogLine[];
}

/**
 * A server's log tail: the live stream into a batching buffer, plus older history on demand.
 * The buffer outlives renders and is read through useSyncExternalStore, so a flood of lines
 * renders once per batch and never tears.
 */
export function useLogTail({ serverId, source, history, cap }: LogTailOptions): LogTail {
  const [buffer] = useState(() => createLogBuffer({ cap }));
  const snapshot = useSyncExternalStore(buffer.subscribe, buffer.getSnapshot);

  const liveState = useEventStream<{ log: LogLine }>(
    source ? null : `/api/servers/${encodeURIComponent(serverId)}/logs/stream`,
    { log: (line) => buffer.add([line]) },
  );
  const [sourceState, setSourceState] = useState<StreamState>("connecting");
  useEffect(
    () => source?.open({ lines: (lines) => buffer.add(lines), state: setSourceState }),
    [source, buffer],
  );

  const [older, setOlder] = useState<{ loading: boolean; error: unknown }>({
    loading: false,
    error: null,
  });
  // A ref as well as state: two scroll events in one frame must not start two requests.
  const inFlight = useRef(false);
  const fetchOlder = useMemo(() => history ?? apiHistory(serverId), [history, serverId]);
  const loadOlder = useCallback(() => {
    const { lines, reachedStart, cap: limit } = buffer.getSnapshot();
    const first = lines[0];
    if (inFlight.current || reachedStart || !first || lines.length >= limit) return;
    inFlight.current = true;
    setOlder({ loading: true, error: null });
    fetchOlder(first.id, HISTORY_PAGE).then(
      (page) => {
        buffer.addOlder(page, page.length < HISTORY_PAGE);
        inFlight.current = false;
        setOlder({ loading: false, error: null });
      },
      (error: unknown) => {
        inFlight.current = false;
        setOlder({ loading: false, error });
      },
    );
  }, [buffer, fetchOlder]);

  return {
    ...snapshot,
    connection: source ? sourceState : liveState,
    loadingOlder: older.loading,
    olderError: older.error,
    loadOlder,
    pause: buffer.pause,
    resume: buffer.resume,
    allLines: buffer.all,
  };
}

function apiHistory(serverId: string): LogHistory {
  return async (before, limit) => {
    const { data } = await api.GET("/api/servers/{serverId}/logs", {
      params: { path: { serverId }, query: { before, limit } },
    });
    // Failures throw ApiError; an empty body would be a broken server, not "no older lines".
    if (!data) throw new Error("The log history came back empty");
    return data.items;
  };
}
