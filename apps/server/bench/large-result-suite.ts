import type { RunningArm } from "./arms/arm.js";
import type { GatewayHost } from "./arms/gateway-host.js";
import { largeDirectArm, largeGatewayArm, startLargeResultServer } from "./arms/large-result.js";
import { nodeProxyArm } from "./arms/node-proxy.js";
import type { Endpoint } from "./latency-client.js";
import { LatencyClient } from "./latency-client.js";
import type { Settings } from "./settings.js";
import { largeResult, largeResultBodies } from "./workloads/large-result.js";
import type { LargeResultResult } from "./workloads/large-result-figures.js";
import type { MeasuredArm } from "./workloads/measured-arm.js";
import { readMemoryAfterGc } from "./workloads/memory-gateway.js";

/**
 * The large-result workload with its own upstream (`large-result-server.ts`), measured direct
 * (A1's setup), through a server of its own on the shared gateway host (A2's) and through the
 * bare Node proxy (A7's). Runs after the
 * echo arms are stopped, so its MiB-sized answers weigh on no other figure; stops what it started.
 */
export async function runLargeResult(options: {
  settings: Settings;
  gateway: GatewayHost;
  workDir: string;
  log: (line: string) => void;
}): Promise<LargeResultResult> {
  const { settings, log } = options;
  const workload = settings.largeResult;
  log("starting the large-result server (MCP SDK, Streamable HTTP), the upstream of its arms");
  const upstream = await startLargeResultServer(options.workDir);
  const cleanups: Array<() => Promise<void>> = [upstream.close];
  try {
    const host = await options.gateway.get();
    const callBodies = largeResultBodies(workload.bytes);
    const measured: MeasuredArm[] = [];
    // A7, the bare Node proxy, tells what relaying a MiB costs any Node proxy here.
    const bareProxy = {
      ...nodeProxyArm(upstream, options.workDir),
      label: "bare Node proxy (node:http + undici) → the large-result server",
    };
    for (const arm of [
      largeDirectArm(upstream),
      largeGatewayArm(upstream, options.gateway),
      bareProxy,
    ]) {
      const running: RunningArm = await arm.start();
      cleanups.push(() => running.close());
      if (!("url" in running)) throw new Error(`${arm.name} is not an HTTP arm`);
      const client = new LatencyClient(running as Endpoint, { callBodies });
      cleanups.push(() => client.close());
      measured.push({ name: arm.name, label: arm.label, client, pid: running.pid });
    }
    const gatewayPid = measured.find((a) => a.name === "A2")?.pid;
    // Unrecorded: JIT, connections, and the server's text built before anything is timed.
    await largeResult(measured, {
      ...workload,
      rounds: 1,
      concurrencies: [4],
      durationMs: settings.armWarmupMs,
      warmupMs: 0,
      rss: { inFlight: [], durationMs: 0, settleMs: 0 },
      gatewayPid,
      collectGarbage: async () => {},
      log: () => {},
    });
    return await largeResult(measured, {
      ...workload,
      gatewayPid,
      collectGarbage: () => readMemoryAfterGc(host, workload.rss.settleMs),
      log,
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => log(String(err)));
  }
}
