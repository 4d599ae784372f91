import { Pool } from "undici";
import { type Histogram, newHistogram } from "./histogram.js";

const hrtime = process.hrtime.bigint;

/** One timed GET: from handing the request to undici to reading the last byte of the body. */
export interface GetOutcome {
  ns: bigint;
  bytes: number;
}

/**
 * GETs paths of one HTTP API (the control plane's JSON routes) with fixed headers, a Bearer
 * token typically. The same transport as `LatencyClient`: an undici `Pool`, kept-alive
 * connections, one per request in flight, no pipelining. The body is read to its end but not
 * parsed: parsing a large JSON answer would spend the client's CPU, which the server shares on a
 * small machine; `getJson` parses, untimed, for checks.
 */
export class HttpGetClient {
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;

  constructor(origin: string, headers: Record<string, string>, connections = 64) {
    this.#pool = new Pool(origin, { connections, pipelining: 1 });
    this.#headers = { accept: "application/json", ...headers };
  }

  /** A timed GET; a status other than 200 rejects with the start of the answer. */
  async get(path: string): Promise<GetOutcome> {
    const started = hrtime();
    const res = await this.#pool.request({ path, method: "GET", headers: this.#headers });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new Error(`GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    }
    // Read, not `dump()`: undici's dump closes the connection past 128 KiB, and a listing is larger.
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    return { ns: hrtime() - started, bytes };
  }

  /** An untimed GET, parsed as JSON. */
  async getJson(path: string): Promise<unknown> {
    const res = await this.#pool.request({ path, method: "GET", headers: this.#headers });
    const text = await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(`GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** What one closed loop of GETs measured. */
export interface GetLoopResult {
  /** Latencies in nanoseconds. */
  histogram: Histogram;
  requests: number;
  errors: number;
  firstError?: string | undefined;
  /** Bytes of the last answer read (the listing's size). */
  bytes: number;
  elapsedSeconds: number;
  requestsPerSecond: number;
}

/**
 * Closed loop over `get`, as `closedLoop` in `latency-client.ts` runs MCP calls: `concurrency`
 * workers, each sending its next request as soon as its previous one is answered, after an
 * unrecorded warm-up. The period measured runs from the end of the warm-up to the last answer.
 */
export async function closedLoopGet(
  get: () => Promise<GetOutcome>,
  options: { concurrency: number; durationMs: number; warmupMs: number },
): Promise<GetLoopResult> {
  const histogram = newHistogram();
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  let bytes = 0;
  let measuring = false;
  let stopAt = hrtime() + BigInt(options.warmupMs * 1e6);
  let measuredFrom = 0n;
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      try {
        const outcome = await get();
        bytes = outcome.bytes;
        if (measuring) {
          requests++;
          histogram.recordValue(Number(outcome.ns));
        }
      } catch (err) {
        if (measuring) {
          errors++;
          firstError ??= (err as Error).message;
        }
        // A server that refuses at once would spin this loop: give it a breath.
        await new Promise((r) => setTimeout(r, 1));
      }
      const now = hrtime();
      if (now >= stopAt) {
        if (!measuring) {
          measuring = true;
          measuredFrom = now;
          stopAt = now + BigInt(options.durationMs * 1e6);
        } else stopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedSeconds = Number(hrtime() - measuredFrom) / 1e9;
  return {
    histogram,
    requests,
    errors,
    firstError,
    bytes,
    elapsedSeconds,
    requestsPerSecond: elapsedSeconds > 0 ? requests / elapsedSeconds : 0,
  };
}
