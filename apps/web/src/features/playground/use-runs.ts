import { ApiError, type InvokeOutcome } from "@mcphost/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { api } from "../../lib/api";
import { serverKey } from "../servers/server-queries";

/** The requests the playground sends. */
export type PlaygroundMethod = "tools/call" | "resources/read" | "prompts/get";

export interface PlaygroundCall {
  method: PlaygroundMethod;
  params: Record<string, unknown>;
  /** What the call was about, for the history: a tool or prompt name, a resource URI. */
  target: string;
}

/** One call of this page visit: still running, answered (result or JSON-RPC error), or failed. */
export type Run =
  | { id: number; call: PlaygroundCall; state: "running" }
  | { id: number; call: PlaygroundCall; state: "answered"; outcome: InvokeOutcome }
  /** The API refused or could not be reached (409 not running, 403, network...). */
  | { id: number; call: PlaygroundCall; state: "failed"; failure: unknown };

export type Verdict = "running" | "ok" | "tool error" | "error" | "request failed";

/** How a run went, in the words the history and the result heading use. */
export function verdictOf(run: Run): Verdict {
  if (run.state !== "answered") return run.state === "running" ? "running" : "request failed";
  if (run.outcome.error) return "error";
  return run.outcome.result?.isError === true ? "tool error" : "ok";
}

const KEPT = 10;

/**
 * The playground's calls for this page visit, newest first (the last ten), and which one the
 * result area shows: the latest call, or an earlier one picked from the history.
 */
export function useRuns(serverId: string) {
  const [runs, setRuns] = useState<Run[]>([]);
  const [shownId, setShownId] = useState<number | null>(null);
  const nextId = useRef(1);
  const queryClient = useQueryClient();

  const run = useCallback(
    async (call: PlaygroundCall) => {
      const id = nextId.current++;
      const settle = (done: Run) => setRuns((list) => list.map((r) => (r.id === id ? done : r)));
      setRuns((list) => [{ id, call, state: "running" } as Run, ...list].slice(0, KEPT));
      setShownId(id);
      try {
        const { data } = await api.POST("/api/servers/{serverId}/invoke", {
          params: { path: { serverId } },
          body: { method: call.method, params: call.params },
        });
        // The client throws on anything but 2xx, so a 200 always carries its body.
        settle({ id, call, state: "answered", outcome: data as InvokeOutcome });
      } catch (failure) {
        settle({ id, call, state: "failed", failure });
        // 409: the server stopped since the page last heard; fetch its status so Run says why.
        if (failure instanceof ApiError && failure.status === 409) {
          void queryClient.invalidateQueries({ queryKey: serverKey(serverId) });
        }
      }
    },
    [serverId, queryClient],
  );

  return {
    runs,
    shown: runs.find((r) => r.id === shownId) ?? null,
    busy: runs.some((r) => r.state === "running"),
    run,
    show: setShownId,
  };
}
