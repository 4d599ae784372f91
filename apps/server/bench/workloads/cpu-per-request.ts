import { processTree, readProcTable, ticksToMs } from "../../src/runtimes/process/proc-stats.js";
import { closedLoop } from "../latency-client.js";
import { addTo, type Figure, figureOf, pairedFigure } from "../round-stats.js";
import { assertHealthy, type MeasuredArm } from "./measured-arm.js";

export interface CpuPerRequestResult {
  concurrency: number;
  /** CPU time (user + system) of the arm's own process and its children, per answered call. */
  byArm: Record<string, { cpuUsPerRequest: Figure; requestsPerSecond: Figure }>;
  /**
   * `A2/A3`, `A2/A7`, `A7/A3`: CPU per call of one proxy as a multiple of another's (the gateway,
   * nginx, the bare Node proxy), paired per round.
   */
  ratios: Record<string, Figure>;
}

/**
 * CPU milliseconds (user + system, 10 ms resolution) of a process and its descendants alive
 * now (nginx's worker, a runtime's servers), or undefined when it is gone or there is no /proc.
 */
async function treeCpuMs(pid: number): Promise<number | undefined> {
  const tree = processTree(await readProcTable().catch(() => new Map()), pid);
  if (tree.length === 0) return undefined;
  return ticksToMs(tree.reduce((sum, p) => sum + p.cpuTicks, 0));
}

/**
 * What one call costs the process an arm measures (the gateway, nginx, the upstream itself), in
 * CPU time rather than wall time: on a machine whose cores the client, the proxy and the upstream
 * share, latency and throughput move with whoever else runs, while a process's CPU per call
 * hardly does. A closed loop at a moderate concurrency (below saturation) runs for `durationMs`;
 * the process tree's CPU time before and after, over the calls answered, is the figure. /proc has
 * 10 ms resolution, so a round needs a few seconds of calls for the figure to hold.
 */
export async function cpuPerRequest(
  arms: MeasuredArm[],
  options: { rounds: number; durationMs: number; concurrency: number; log: (s: string) => void },
): Promise<CpuPerRequestResult> {
  const perCall: Record<string, number[]> = {};
  const rates: Record<string, number[]> = {};
  const measurable: MeasuredArm[] = [];
  for (const arm of arms)
    if (arm.pid !== undefined && (await treeCpuMs(arm.pid)) !== undefined) measurable.push(arm);
  for (let round = 1; round <= options.rounds; round++) {
    for (const arm of measurable) {
      const pid = arm.pid as number;
      const session = await arm.client.openSession();
      // Unmeasured: the session's first calls warm its connections.
      await closedLoop(session, { concurrency: options.concurrency, durationMs: 200, warmupMs: 0 });
      const before = (await treeCpuMs(pid)) as number;
      const result = await closedLoop(session, {
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: 0,
      });
      const after = (await treeCpuMs(pid)) as number;
      await session.close();
      assertHealthy(arm.name, "cpu per request", result);
      const calls = result.requests;
      const us = Math.round(((after - before) * 1000) / calls);
      addTo(perCall, arm.name, us);
      addTo(rates, arm.name, Math.round(result.requestsPerSecond));
      options.log(`  round ${round} ${arm.name}: ${us} µs CPU per call over ${calls} calls`);
    }
  }
  const byArm = Object.fromEntries(
    Object.keys(perCall).map((name) => [
      name,
      {
        cpuUsPerRequest: figureOf(perCall[name] as number[]),
        requestsPerSecond: figureOf(rates[name] as number[]),
      },
    ]),
  );
  const ratios: Record<string, Figure> = {};
  for (const [over, base] of [
    ["A2", "A3"],
    ["A2", "A7"],
    ["A7", "A3"],
  ] as const) {
    const a = perCall[over];
    const b = perCall[base];
    if (a && b)
      ratios[`${over}/${base}`] = pairedFigure(a, b, (x, y) => Math.round((x / y) * 100) / 100);
  }
  return { concurrency: options.concurrency, byArm, ratios };
}
