import { request } from "undici";
import {
  createServer,
  type McpHost,
  remoteServer,
  removeServer,
  startMcpHost,
  withHostLog,
} from "../arms/mcp-host.js";
import type { Endpoint } from "../latency-client.js";

/**
 * The gateway as the memory and session-lifetime workloads see it: A2's setup (MCP Host in front
 * of server-everything over HTTP, registered as a remote server) on a host started with
 * `--expose-gc` and the gc hook, so its heap can be read after a full collection. `maxSessions`
 * is raised to the most the API allows, so the idle-sessions levels are not refused.
 */
export interface MemoryGateway {
  host: McpHost;
  endpoint: Endpoint;
  /** Collects garbage in the gateway process and reads its memory. */
  readMemory(): Promise<MemoryReading>;
  /** Open sessions the gateway counts (`mcphost_mcp_active_sessions`, all servers). */
  activeSessions(): Promise<number>;
  stop(): Promise<void>;
}

export interface MemoryReading {
  heapUsedBytes: number;
  rssBytes: number;
}

/** A server for the memory workloads on a host started with the gc hook; `stop` leaves the host. */
export async function memoryGatewayOn(host: McpHost, upstreamUrl: string): Promise<MemoryGateway> {
  const { id, url, headers } = await withHostLog(host, () =>
    createServer(host, remoteServer(upstreamUrl, { name: "bench-memory", maxSessions: 10_000 })),
  );
  return {
    host,
    endpoint: { url, headers },
    readMemory: () => readMemoryAfterGc(host),
    activeSessions: () => activeSessions(host.url),
    stop: () => removeServer(host, id),
  };
}

/** The same on an MCP Host of its own (with `env`), stopped with it. */
export async function startMemoryGateway(options: {
  workDir: string;
  name: string;
  upstreamUrl: string;
  env?: Record<string, string>;
}): Promise<MemoryGateway> {
  const host = await startMcpHost({
    workDir: options.workDir,
    name: options.name,
    env: options.env,
    gcHook: true,
  });
  const gateway = await memoryGatewayOn(host, options.upstreamUrl);
  return { ...gateway, stop: host.stop };
}

const GC_LINE = /bench-gc (\d+) heapUsed=(\d+) rss=(\d+)/g;

/**
 * Lets the gateway settle (pending writes, timers of requests just answered), then signals the
 * gc hook and waits for its next line.
 */
export async function readMemoryAfterGc(host: McpHost, settleMs = 500): Promise<MemoryReading> {
  await new Promise((r) => setTimeout(r, settleMs));
  const before = [...host.output().matchAll(GC_LINE)].length;
  if (!host.child.pid) throw new Error("the gateway has no process id");
  process.kill(host.child.pid, "SIGUSR2");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = [...host.output().matchAll(GC_LINE)];
    const last = lines.at(-1);
    if (lines.length > before && last)
      return { heapUsedBytes: Number(last[2]), rssBytes: Number(last[3]) };
    if (Date.now() > deadline) throw new Error("the gateway's gc hook did not answer");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The sum of `mcphost_mcp_active_sessions` over its series (no series: none open). */
export async function activeSessions(baseUrl: string): Promise<number> {
  const res = await request(`${baseUrl}/metrics`);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
  return parseGauge(text, "mcphost_mcp_active_sessions");
}

/** Sums every sample of `name` in a Prometheus text exposition. */
export function parseGauge(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** Runs `task` over `0..count-1` with at most `concurrency` at a time. */
export async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
