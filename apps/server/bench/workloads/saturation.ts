import { closedLoop } from "../latency-client.js";
import { addTo, type Figure, figureOf, pairedFigure } from "../round-stats.js";
import {
  type SaturationOptions,
  type SaturationResult,
  searchSaturation,
} from "../saturation-search.js";
import { assertHealthy, type MeasuredArm } from "./measured-arm.js";

export interface SaturationFigures {
  requestsPerSecond: Figure;
  /** The concurrency that reached the peak, per round. */
  concurrency: Figure;
  searches: SaturationResult[];
}

export interface SaturationWorkloadResult {
  byArm: Record<string, SaturationFigures>;
  /** `A2/A1`, `A3/A1`: throughput of an arm as a share of the direct one's. */
  ratios: Record<string, Figure>;
}

/**
 * Workload (b): the most requests per second an arm sustains, found by raising the concurrency of
 * a closed loop until throughput stops growing (`saturation-search.ts`). On a small machine the
 * client, the proxy and the upstream share the cores, so the figure is the system's: what matters
 * is the ratio to the direct arm measured alongside.
 */
export async function saturation(
  arms: MeasuredArm[],
  options: {
    rounds: number;
    stepMs: number;
    warmupMs: number;
    search: SaturationOptions;
    log: (line: string) => void;
  },
): Promise<SaturationWorkloadResult> {
  const searches: Record<string, SaturationResult[]> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const arm of arms) {
      const session = await arm.client.openSession();
      const found = await searchSaturation(async (concurrency) => {
        const result = await closedLoop(session, {
          concurrency,
          durationMs: options.stepMs,
          warmupMs: options.warmupMs,
        });
        assertHealthy(arm.name, `saturation at concurrency ${concurrency}`, result);
        return Math.round(result.requestsPerSecond);
      }, options.search);
      await session.close();
      addTo(searches, arm.name, found);
      const curve = found.steps.map((s) => `${s.concurrency}:${s.requestsPerSecond}`).join(" ");
      options.log(
        `  round ${round} ${arm.name}: ${found.requestsPerSecond} req/s at ${found.concurrency} (${curve})`,
      );
    }
  }
  const byArm = Object.fromEntries(
    Object.entries(searches).map(([name, list]) => [
      name,
      {
        requestsPerSecond: figureOf(list.map((s) => s.requestsPerSecond)),
        concurrency: figureOf(list.map((s) => s.concurrency)),
        searches: list,
      },
    ]),
  );
  const ratios: Record<string, Figure> = {};
  for (const over of ["A2", "A3", "A7"]) {
    const a = byArm[over];
    const b = byArm.A1;
    if (a && b) {
      ratios[`${over}/A1`] = pairedFigure(
        a.requestsPerSecond.rounds,
        b.requestsPerSecond.rounds,
        (x, y) => Math.round((x / y) * 1000) / 1000,
      );
    }
  }
  return { byArm, ratios };
}
