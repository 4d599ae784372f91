import { performance } from "node:perf_hooks";
import { request } from "undici";
import { SseReader } from "./mcp-wire.js";

/** One status change as the events stream delivered it. */
export interface StatusChange {
  serverId: string;
  from: string;
  to: string;
  reason?: string | undefined;
  /** When the server recorded it (its clock, ms since the epoch). */
  at: number;
  /** When this client read it (ms since the epoch, fractional). */
  seenAt: number;
}

/** The wall clock in fractional ms: comparable with the server's timestamps on the same machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Follows `GET /api/servers/events` (status changes of every server the user sees) from the
 * moment it is opened, so a deploy's changes are seen whether they come before or after the
 * `POST` that creates the server answers.
 */
export class StatusStream {
  readonly changes: StatusChange[] = [];
  #waiters = new Set<() => void>();
  #abort = new AbortController();
  #ended: Error | undefined;

  private constructor() {}

  /** Opens the stream; resolves once the server answered with the event stream. */
  static async open(baseUrl: string, headers: Record<string, string>): Promise<StatusStream> {
    const stream = new StatusStream();
    const res = await request(`${baseUrl}/api/servers/events`, {
      headers: { accept: "text/event-stream", ...headers },
      signal: stream.#abort.signal,
    });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new Error(`/api/servers/events answered ${res.statusCode}: ${text.slice(0, 200)}`);
    }
    void stream.#read(res.body);
    return stream;
  }

  async #read(body: AsyncIterable<Buffer>) {
    const reader = new SseReader();
    try {
      for await (const chunk of body) {
        const seenAt = wallNow();
        for (const data of reader.push(chunk.toString("utf8"))) {
          const event = JSON.parse(data) as {
            serverId: string;
            time: string;
            details: { from?: string; to?: string; reason?: string };
          };
          this.changes.push({
            serverId: event.serverId,
            from: String(event.details.from),
            to: String(event.details.to),
            reason: event.details.reason,
            at: Date.parse(event.time),
            seenAt,
          });
        }
        for (const wake of this.#waiters) wake();
      }
      this.#ended = new Error("the status stream ended");
    } catch (err) {
      this.#ended = err as Error;
    }
    for (const wake of this.#waiters) wake();
  }

  /** The first change of `serverId` to one of `statuses`, waiting for it up to `timeoutMs`. */
  async waitFor(serverId: string, statuses: string[], timeoutMs: number): Promise<StatusChange> {
    const find = () => this.changes.find((c) => c.serverId === serverId && statuses.includes(c.to));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (this.#ended) throw this.#ended;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.of(serverId).map((c) => c.to);
        throw new Error(
          `server ${serverId} did not turn ${statuses.join("/")} within ${timeoutMs} ms (seen: ${seen.join(" → ") || "nothing"})`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, left);
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        const waiters = this.#waiters;
        waiters.add(wake);
      });
    }
  }

  /** The changes of one server so far, in order. */
  of(serverId: string): StatusChange[] {
    return this.changes.filter((c) => c.serverId === serverId);
  }

  close(): void {
    this.#abort.abort();
  }
}
