import { StringDecoder } from "node:string_decoder";
import { type Dispatcher, Pool } from "undici";
import { type Histogram, newHistogram } from "./histogram.js";
import {
  echoBodies,
  findResponse,
  initializeBody,
  type JsonRpcResponse,
  notificationBody,
  requestBody,
  SseReader,
} from "./mcp-wire.js";

/** Where an arm is reached: the MCP endpoint URL and the headers it needs (a Bearer key). */
export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/**
 * Request slots: the most requests one session may have in flight. An open loop that falls this
 * far behind is past saturation; further sends are counted as dropped rather than queued.
 */
export const MAX_IN_FLIGHT = 1024;
const ECHO = echoBodies(MAX_IN_FLIGHT);
/** Above every echo slot's id, so a listing never shares an id with a call in flight. */
const LIST_ID = MAX_IN_FLIGHT + 1;
const LIST_TOOLS = requestBody(LIST_ID, "tools/list");
const hrtime = process.hrtime.bigint;

export class RequestError extends Error {}

/** One timed `tools/call echo`: the time it took and the JSON-RPC response. */
export interface EchoOutcome {
  ns: bigint;
  response: JsonRpcResponse;
}

/**
 * An open MCP session, whatever carries it (Streamable HTTP here, stdio in `stdio-client.ts`).
 * The loops below time and record every call the same way for every kind of session.
 */
export interface CallSession {
  /**
   * One `tools/call echo` using request slot `slot` (0 <= slot < MAX_IN_FLIGHT; calls in flight
   * at once use distinct slots); `ns` runs from just before the request is handed to the transport
   * to the moment its response message was read.
   */
  echo(slot: number): Promise<EchoOutcome>;
  /** `tools/list`, untimed (session churn). */
  listTools(): Promise<JsonRpcResponse>;
  /** Ends the session, so the server frees what it keeps for it. */
  close(): Promise<void>;
}

/** Opens sessions on one arm. */
export interface SessionClient {
  openSession(): Promise<CallSession>;
  close(): Promise<void>;
}

/**
 * The one client every arm is measured with, so differences between arms come from the arms.
 * An undici `Pool` keeps connections alive and opens one per request in flight (no pipelining:
 * MCP clients do not pipeline). One Pool per arm, reused across its measurements.
 */
export class LatencyClient implements SessionClient {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  /** The `tools/call` body of each request slot (ids slot + 1): the echo call unless told. */
  readonly callBodies: readonly Buffer[];

  constructor(endpoint: Endpoint, options: { callBodies?: readonly Buffer[] } = {}) {
    this.callBodies = options.callBodies ?? ECHO;
    if (this.callBodies.length < MAX_IN_FLIGHT) throw new Error("a call body for every slot");
    const url = new URL(endpoint.url);
    this.#pool = new Pool(url.origin, { connections: MAX_IN_FLIGHT, pipelining: 1 });
    this.#path = url.pathname + url.search;
    this.#headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...endpoint.headers,
    };
  }

  /** A new MCP session: `initialize`, then `notifications/initialized`, as a real client does. */
  async openSession(): Promise<McpSession> {
    const res = await this.post(this.#headers, initializeBody(0));
    const { message } = await readAnswer(res, 0);
    if (message.error) throw new RequestError(`initialize failed: ${message.error.message}`);
    const version = (message.result as { protocolVersion?: string }).protocolVersion;
    const id = res.headers["mcp-session-id"];
    const headers = {
      ...this.#headers,
      ...(typeof id === "string" ? { "mcp-session-id": id } : {}),
      ...(version ? { "mcp-protocol-version": version } : {}),
    };
    const ack = await this.post(headers, notificationBody("notifications/initialized"));
    await ack.body.dump();
    if (ack.statusCode !== 202 && ack.statusCode !== 200)
      throw new RequestError(`notifications/initialized answered ${ack.statusCode}`);
    return new McpSession(this, headers, typeof id === "string" ? id : undefined);
  }

  /** Ends a session (used by `McpSession.close`). */
  async delete(headers: Record<string, string>): Promise<void> {
    const res = await this.#pool.request({ path: this.#path, method: "DELETE", headers });
    await res.body.dump();
  }

  /** POSTs a JSON-RPC body; an HTTP error status rejects with the start of the answer. */
  async post(headers: Record<string, string>, body: Buffer): Promise<Dispatcher.ResponseData> {
    const res = await this.#pool.request({ path: this.#path, method: "POST", headers, body });
    if (res.statusCode >= 400) {
      const text = await res.body.text();
      throw new RequestError(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    }
    return res;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** An open Streamable HTTP session: calls `echo` and times each call. */
export class McpSession implements CallSession {
  constructor(
    private readonly client: LatencyClient,
    private readonly headers: Record<string, string>,
    readonly id: string | undefined,
  ) {}

  /**
   * See `CallSession.echo`; the request is handed to the undici pool. It sends the client's call
   * body for the slot: echo, or the call the client was built with (`callBodies`).
   */
  async echo(slot: number): Promise<EchoOutcome> {
    const id = slot + 1;
    const started = hrtime();
    const res = await this.client.post(this.headers, this.client.callBodies[slot] as Buffer);
    const { message, at } = await readAnswer(res, id);
    if (message.error) throw new RequestError(`echo failed: ${message.error.message}`);
    return { ns: at - started, response: message };
  }

  async listTools(): Promise<JsonRpcResponse> {
    const res = await this.client.post(this.headers, LIST_TOOLS);
    const { message } = await readAnswer(res, LIST_ID);
    if (message.error) throw new RequestError(`tools/list failed: ${message.error.message}`);
    return message;
  }

  /** Ends the session (DELETE), so the server frees what it keeps for it. */
  async close(): Promise<void> {
    if (this.id) await this.client.delete(this.headers).catch(() => {});
  }
}

/**
 * Reads an answer up to the response to `id`; `at` is when it was read. An SSE stream is read on
 * to its end afterwards (the server closes it once the response is sent), so the connection goes
 * back to the pool clean; that tail is not timed.
 */
async function readAnswer(
  res: Dispatcher.ResponseData,
  id: number,
): Promise<{ message: JsonRpcResponse; at: bigint }> {
  const type = String(res.headers["content-type"] ?? "");
  if (type.startsWith("text/event-stream")) {
    const reader = new SseReader();
    let found: JsonRpcResponse | undefined;
    let at = 0n;
    // undici's body ignores setEncoding (its chunks stay Buffers); the decoder keeps a UTF-8
    // character split across two chunks whole.
    const decoder = new StringDecoder("utf8");
    for await (const chunk of res.body) {
      if (found) continue;
      for (const data of reader.push(decoder.write(chunk as Buffer))) {
        found = findResponse(data, id);
        if (found) {
          at = hrtime();
          break;
        }
      }
    }
    if (!found) throw new RequestError(`the SSE stream ended without the response to ${id}`);
    return { message: found, at };
  }
  const text = await res.body.text();
  const at = hrtime();
  const message = findResponse(text, id);
  if (!message) throw new RequestError(`no response to ${id} in: ${text.slice(0, 200)}`);
  return { message, at };
}

/** What one loop measured. */
export interface LoopResult {
  histogram: Histogram;
  /** Requests answered during the measured period. */
  requests: number;
  errors: number;
  firstError?: string | undefined;
  /** Requests an open loop did not send because MAX_IN_FLIGHT were already waiting. */
  dropped: number;
  elapsedSeconds: number;
  requestsPerSecond: number;
}

interface Tally {
  histogram: Histogram;
  requests: number;
  errors: number;
  firstError?: string | undefined;
}

const newTally = (): Tally => ({ histogram: newHistogram(), requests: 0, errors: 0 });

function record(tally: Tally | undefined, outcome: { ns: bigint } | Error) {
  if (!tally) return; // warm-up
  if (outcome instanceof Error) {
    tally.errors++;
    tally.firstError ??= outcome.message;
  } else {
    tally.requests++;
    tally.histogram.recordValue(Number(outcome.ns));
  }
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as the previous one is
 * answered. Measures latency at that concurrency and the throughput it yields. A warm-up runs first
 * unrecorded (JIT, connection set-up).
 */
export async function closedLoop(
  session: CallSession,
  options: { concurrency: number; durationMs: number; warmupMs: number },
): Promise<LoopResult> {
  if (options.concurrency > MAX_IN_FLIGHT) throw new Error("concurrency above MAX_IN_FLIGHT");
  let tally: Tally | undefined;
  let stopAt = hrtime() + BigInt(options.warmupMs * 1e6);
  let measuredFrom = 0n;
  let stopped = false;
  const worker = async (slot: number) => {
    while (!stopped) {
      try {
        record(tally, await session.echo(slot));
      } catch (err) {
        record(tally, asError(err));
        // A server that refuses at once would spin this loop: give it a breath.
        await new Promise((r) => setTimeout(r, 1));
      }
      const now = hrtime();
      if (now >= stopAt) {
        if (!tally) {
          tally = newTally();
          measuredFrom = now;
          stopAt = now + BigInt(options.durationMs * 1e6);
        } else stopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, slot) => worker(slot)));
  return finish(tally ?? newTally(), Number(hrtime() - measuredFrom) / 1e9, 0);
}

/**
 * Open loop: requests are sent at a fixed rate whether or not earlier ones were answered, the way
 * independent clients arrive, so a slow answer cannot slow the offered load (no coordinated
 * omission). Latency runs from the moment each request is actually sent: timers fire in batches of
 * about 1 ms, and timing from the ideal send instant would add that client-side jitter to every
 * arm's figure.
 */
export async function openLoop(
  session: CallSession,
  options: { rate: number; durationMs: number; warmupMs: number },
): Promise<LoopResult> {
  const interval = 1e9 / options.rate;
  const start = hrtime();
  const warmupEnd = start + BigInt(Math.round(options.warmupMs * 1e6));
  const end = warmupEnd + BigInt(Math.round(options.durationMs * 1e6));
  const tally = newTally();
  const free = Array.from({ length: MAX_IN_FLIGHT }, (_, i) => MAX_IN_FLIGHT - 1 - i);
  const inFlight = new Set<Promise<void>>();
  let dropped = 0;
  let sent = 0;

  const send = (measured: boolean) => {
    const slot = free.pop();
    if (slot === undefined) {
      if (measured) dropped++;
      return;
    }
    const call = session.echo(slot).then(
      (outcome) => record(measured ? tally : undefined, outcome),
      (err) => record(measured ? tally : undefined, asError(err)),
    );
    const done = call.finally(() => {
      free.push(slot);
      inFlight.delete(done);
    });
    inFlight.add(done);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = hrtime();
      // Every send that is due by now, at the instants the rate schedules.
      for (;;) {
        const due = start + BigInt(Math.round(sent * interval));
        if (due > now || due >= end) break;
        send(due >= warmupEnd);
        sent++;
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  // The offered period, not the drain after it: the rate achieved is the answers per offered second.
  return finish(tally, options.durationMs / 1000, dropped);
}

function finish(tally: Tally, elapsedSeconds: number, dropped: number): LoopResult {
  return {
    ...tally,
    dropped,
    elapsedSeconds,
    requestsPerSecond: elapsedSeconds > 0 ? tally.requests / elapsedSeconds : 0,
  };
}
