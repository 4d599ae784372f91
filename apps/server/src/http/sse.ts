import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

export interface SseEvent {
  event: string;
  data: unknown;
  id?: number | undefined;
}

export type SseSend = (event: SseEvent) => Promise<void>;

/** A keep-alive comment this often stops proxies from closing quiet streams. */
const HEARTBEAT_MS = 15_000;

/**
 * Streams Server-Sent Events until the client goes away. `run` sends the backlog and subscribes;
 * it returns an unsubscribe function called on disconnect.
 */
export function sse(c: Context, run: (send: SseSend) => Promise<() => void>): Response {
  return streamSSE(c, async (stream) => {
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    const done = new Promise<void>((resolve) =>
      stream.onAbort(() => {
        closed = true;
        resolve();
      }),
    );
    // Writes are chained so events leave in the order they were sent.
    let chain: Promise<void> = Promise.resolve();
    const send: SseSend = (e) => {
      chain = chain.then(async () => {
        if (closed) return;
        await stream.writeSSE({
          event: e.event,
          data: JSON.stringify(e.data),
          ...(e.id !== undefined ? { id: String(e.id) } : {}),
        });
      });
      return chain;
    };
    const heartbeat = setInterval(() => {
      chain = chain.then(() =>
        closed ? undefined : stream.write(": keep-alive\n\n").then(() => {}),
      );
    }, HEARTBEAT_MS);
    try {
      unsubscribe = await run(send);
      await done;
    } finally {
      clearInterval(heartbeat);
      unsubscribe?.();
    }
  });
}

/** The id to resume after: the Last-Event-ID header (reconnects) or an `after` query parameter. */
export function resumeAfter(c: Context): number | undefined {
  const raw = c.req.header("last-event-id") ?? c.req.query("after");
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
