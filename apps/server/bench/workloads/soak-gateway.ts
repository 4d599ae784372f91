import {
  type ProcEntry,
  processTree,
  readProcTable,
  residentBytes,
} from "../../src/runtimes/process/proc-stats.js";
import { stdioEverything } from "../arms/gateway-stdio.js";
import { startLargeResultServer } from "../arms/large-result.js";
import {
  createServer,
  type McpHost,
  remoteServer,
  removeServer,
  startMcpHost,
  withHostLog,
} from "../arms/mcp-host.js";
import type { Endpoint } from "../latency-client.js";
import { LogTail } from "../log-tail.js";

/** A server on the soak's gateway: its id (for the sessions API) and its MCP endpoint. */
export interface SoakServer {
  id: string;
  endpoint: Endpoint;
}

/**
 * The soak's gateway: an MCP Host of its own (a short session idle timeout, the gc hook) with two
 * servers, one like A2's (a remote server in front of an SDK server over Streamable HTTP with
 * server-everything's `echo`, `arms/large-result-server.ts`, which carries the steady load) and A5's (server-everything as an npm stdio server on the process runtime, one
 * child process per session, so sessions that come and go start and stop processes).
 */
export interface SoakGateway {
  host: McpHost;
  pid: number;
  http: SoakServer;
  stdio: SoakServer;
  /** The gateway process's resident memory, from /proc (no GC first). */
  rss(): Promise<number>;
  /** Its heap after a full GC, from the gc hook's next line. */
  heapAfterGc(): Promise<number>;
  /** Sessions the gateway lists on both servers (`GET /api/servers/{id}/sessions`). */
  openSessions(): Promise<number>;
  /** Every process below the gateway, by parent pid: server instances and whatever they started. */
  descendants(): Promise<ProcEntry[]>;
  stop(): Promise<void>;
}

const GC_LINE = /bench-gc \d+ heapUsed=(\d+) rss=\d+/;

export async function startSoakGateway(options: {
  workDir: string;
  idleSeconds: number;
}): Promise<SoakGateway> {
  // Not server-everything: its event store keeps every answer of a session, gigabytes over a
  // soak's million calls, until it stalls (the soak then measured the upstream, not the gateway).
  const upstream = await startLargeResultServer(options.workDir, "soak-upstream");
  let host: McpHost | undefined;
  try {
    host = await startMcpHost({
      workDir: options.workDir,
      name: "soak",
      env: { MCPHOST_SESSION_IDLE_SECONDS: String(options.idleSeconds) },
      gcHook: true,
    });
    const started = host;
    const [http, stdio] = await withHostLog(started, async () => {
      const remote = await createServer(started, remoteServer(upstream.url, { name: "soak-http" }));
      const local = await createServer(started, stdioEverything("process", "soak-stdio"), 120_000);
      return [remote, local].map(({ id, url, headers }) => ({ id, endpoint: { url, headers } }));
    });
    const pid = started.child.pid;
    if (!pid || !http || !stdio) throw new Error("the soak's gateway has no process id");
    const tail = await LogTail.atEnd(started.logFile);
    const countSessions = async (server: SoakServer) => {
      const res = await started.admin.get(`/api/servers/${server.id}/sessions`);
      if (res.status !== 200) throw new Error(`listing sessions answered ${res.status}`);
      return (res.body as { items: unknown[] }).items.length;
    };
    return {
      host: started,
      pid,
      http,
      stdio,
      rss: () => residentBytes(pid),
      heapAfterGc: () => heapAfterGc(pid, tail),
      openSessions: async () => (await countSessions(http)) + (await countSessions(stdio)),
      descendants: () => descendants(pid),
      async stop() {
        // Its instances are processes of their own (bubblewrap's --die-with-parent aside): removing
        // the server stops them before the host goes.
        await removeServer(started, stdio.id).catch(() => {});
        await started.stop();
        await upstream.close();
      },
    };
  } catch (err) {
    await host?.stop();
    await upstream.close();
    throw err;
  }
}

/** The processes below the gateway (it runs from the build: no compiler child of a loader's). */
async function descendants(pid: number): Promise<ProcEntry[]> {
  return processTree(await readProcTable(), pid).slice(1);
}

/** Signals the gc hook and waits for its next line (lines before the signal were read already). */
async function heapAfterGc(pid: number, tail: LogTail): Promise<number> {
  await tail.lines();
  process.kill(pid, "SIGUSR2");
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const line of await tail.lines()) {
      const heap = GC_LINE.exec(line)?.[1];
      if (heap) return Number(heap);
    }
    if (Date.now() > deadline) throw new Error("the soak gateway's gc hook did not answer");
    await new Promise((r) => setTimeout(r, 20));
  }
}
