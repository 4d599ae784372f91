import { Pool } from "undici";
import { reapPeriodMs } from "../../src/gateway/gateway-background.js";
import { type CallSession, LatencyClient } from "../latency-client.js";
import { linearFit } from "../linear-fit.js";
import { echoCallBody, initializeBody } from "../mcp-wire.js";
import { type Figure, figureOf, median } from "../round-stats.js";
import { inParallel, type MemoryGateway, type MemoryReading } from "./memory-gateway.js";

export interface IdleSessionsResult {
  /** Sessions open at each reading, and the gateway's memory after GC then. */
  points: Array<{ sessions: number } & MemoryReading>;
  /** Heap per idle session: the slope of heapUsed against sessions open. */
  heapBytesPerSession: Figure;
  rssBytesPerSession: number;
  r2: number;
}

/**
 * Idle sessions: opens sessions (initialize + initialized, nothing more) up to each level in
 * turn, keeps them all open, and reads the gateway's heap after a full GC at each level. What a
 * session costs is the slope of heap against sessions (least squares over the levels).
 */
export async function idleSessions(
  gateway: MemoryGateway,
  options: { levels: number[]; log: (line: string) => void },
): Promise<IdleSessionsResult> {
  const client = new LatencyClient(gateway.endpoint);
  const open: CallSession[] = [];
  const points: IdleSessionsResult["points"] = [];
  try {
    for (const level of options.levels) {
      await inParallel(Math.max(0, level - open.length), 16, async () => {
        open.push(await client.openSession());
      });
      const reading = await gateway.readMemory();
      points.push({ sessions: open.length, ...reading });
      options.log(
        `  ${open.length} idle sessions: heap ${mb(reading.heapUsedBytes)}, RSS ${mb(reading.rssBytes)}`,
      );
    }
  } finally {
    await inParallel(open.length, 16, async (i) => (open[i] as CallSession).close());
    await client.close();
  }
  const heap = linearFit(points.map((p) => ({ x: p.sessions, y: p.heapUsedBytes })));
  const rss = linearFit(points.map((p) => ({ x: p.sessions, y: p.rssBytes })));
  return {
    points,
    heapBytesPerSession: figureOf([Math.round(heap.slope)]),
    rssBytesPerSession: Math.round(rss.slope),
    r2: Math.round(heap.r2 * 1000) / 1000,
  };
}

export interface InvalidRequestsResult {
  requests: number;
  /** Heap after GC: three readings before, three after. */
  before: number[];
  after: number[];
  /** Median after minus median before. */
  retainedBytes: Figure;
  /** The spread of the readings before: what "no change" looks like. */
  noiseBytes: number;
}

/**
 * Invalid requests: many requests the gateway must refuse (no credential, a wrong key, a body
 * that is not JSON, an unknown session, a call before initialize), then the heap after GC
 * compared with before (both after a first, unmeasured batch). Anything kept per refused
 * request shows as growth.
 */
export async function invalidRequests(
  gateway: MemoryGateway,
  options: { requests: number; log: (line: string) => void },
): Promise<InvalidRequestsResult> {
  const url = new URL(gateway.endpoint.url);
  const pool = new Pool(url.origin, { connections: 16 });
  const json = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  const auth = gateway.endpoint.headers;
  const kinds = [
    { headers: json, body: initializeBody(0) },
    { headers: { ...json, authorization: "Bearer mhk_not-a-key" }, body: initializeBody(0) },
    { headers: { ...json, ...auth }, body: Buffer.from("{not json") },
    { headers: { ...json, ...auth, "mcp-session-id": "no-such-session" }, body: echoCallBody(1) },
    { headers: { ...json, ...auth }, body: echoCallBody(1) },
  ];
  const readings = async () => {
    const heaps: number[] = [];
    for (let i = 0; i < 3; i++) heaps.push((await gateway.readMemory()).heapUsedBytes);
    return heaps;
  };
  let accepted = 0;
  const send = (count: number) =>
    inParallel(count, 16, async (i) => {
      const kind = kinds[i % kinds.length] as (typeof kinds)[number];
      const res = await pool.request({
        path: url.pathname,
        method: "POST",
        headers: kind.headers,
        body: kind.body,
      });
      await res.body.dump();
      if (res.statusCode < 400) accepted++;
    });
  // First a batch unmeasured: code compiled and caches filled on first use are not retention.
  await send(Math.min(options.requests, 500));
  const before = await readings();
  await send(options.requests);
  await pool.close();
  if (accepted > 0) throw new Error(`${accepted} invalid requests were accepted`);
  const after = await readings();
  const retained = median(after) - median(before);
  options.log(
    `  ${options.requests} refused requests: heap ${mb(median(before))} → ${mb(median(after))} (${signed(retained)})`,
  );
  return {
    requests: options.requests,
    before,
    after,
    retainedBytes: figureOf([retained]),
    noiseBytes: Math.max(...before) - Math.min(...before),
  };
}

export interface AbandonedSessionsResult {
  sessions: number;
  idleSeconds: number;
  reclaimed: number;
  /** Reclaimed as a share of the sessions opened, in percent. */
  reclaimedPercent: Figure;
  /** From the last use of the sessions to the gauge reaching zero (or the deadline). */
  seconds: number;
}

/**
 * Abandoned sessions: opens sessions on a gateway whose idle timeout is short, calls echo once in
 * each, then leaves them without DELETE, as a crashed client would, and watches
 * `mcphost_mcp_active_sessions` until it reaches zero or the idle timeout plus one reaper period
 * (and a margin) has passed.
 */
export async function abandonedSessions(
  gateway: MemoryGateway,
  options: { sessions: number; idleSeconds: number; log: (line: string) => void },
): Promise<AbandonedSessionsResult> {
  const client = new LatencyClient(gateway.endpoint);
  await inParallel(options.sessions, 16, async () => {
    const session = await client.openSession();
    await session.echo(0);
  });
  await client.close();
  const leftAt = Date.now();
  const opened = await gateway.activeSessions();
  if (opened < options.sessions)
    throw new Error(`the gateway counts ${opened} sessions of the ${options.sessions} opened`);
  const reapSeconds = reapPeriodMs(options.idleSeconds * 1000) / 1000;
  const deadline = leftAt + (options.idleSeconds + reapSeconds + 15) * 1000;
  let active = opened;
  while (active > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    active = await gateway.activeSessions();
  }
  const seconds = Math.round((Date.now() - leftAt) / 100) / 10;
  const reclaimed = options.sessions - Math.min(active, options.sessions);
  options.log(
    `  ${reclaimed} of ${options.sessions} abandoned sessions reclaimed after ${seconds} s`,
  );
  return {
    sessions: options.sessions,
    idleSeconds: options.idleSeconds,
    reclaimed,
    reclaimedPercent: figureOf([Math.round((reclaimed / options.sessions) * 1000) / 10]),
    seconds,
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signed = (bytes: number) =>
  `${bytes >= 0 ? "+" : "−"}${(Math.abs(bytes) / 1024).toFixed(0)} KiB`;
