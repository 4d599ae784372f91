import { openLoop } from "../latency-client.js";
import { addTo, type Figure } from "../round-stats.js";
import {
  addedLatency,
  assertHealthy,
  type LatencyFigures,
  latencyFigures,
  type MeasuredArm,
  type RoundSample,
  sampleOf,
} from "./measured-arm.js";

export interface HalfLoadResult {
  /** Requests per second offered to every arm: half of the direct arm's saturation. */
  rate: number;
  /** The A1 saturation it is half of. */
  directSaturation: number;
  byArm: Record<string, LatencyFigures>;
  added: Record<string, Partial<Record<"p50Us" | "p90Us" | "p99Us", Figure>>>;
}

/**
 * Workload (c): latency under a realistic load. Every arm is offered the same fixed rate, half of
 * what the direct arm sustains, in an open loop (arrivals do not wait for answers). At half load
 * queues stay short on a healthy server, so the p99 shows what the arm itself adds, its GC pauses
 * and event-loop stalls included.
 */
export async function halfLoad(
  arms: MeasuredArm[],
  options: {
    rounds: number;
    durationMs: number;
    warmupMs: number;
    directSaturation: number;
    log: (line: string) => void;
  },
): Promise<HalfLoadResult> {
  const rate = Math.max(1, Math.round(options.directSaturation / 2));
  const samples: Record<string, RoundSample[]> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const arm of arms) {
      const session = await arm.client.openSession();
      const result = await openLoop(session, { rate, ...options });
      await session.close();
      assertHealthy(arm.name, `open loop at ${rate} req/s`, result);
      const sample = sampleOf(result);
      addTo(samples, arm.name, sample);
      options.log(
        `  round ${round} ${arm.name}: p50 ${sample.p50Us} us, p99 ${sample.p99Us} us` +
          (sample.dropped ? `, ${sample.dropped} not sent (client slots full)` : ""),
      );
    }
  }
  const byArm = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [name, latencyFigures(list)]),
  );
  const added: HalfLoadResult["added"] = {};
  for (const over of ["A2", "A3", "A7"]) {
    const figures = addedLatency(byArm, over, "A1", ["p50Us", "p99Us"]);
    if (figures) added[`${over}-A1`] = figures;
  }
  return { rate, directSaturation: options.directSaturation, byArm, added };
}
