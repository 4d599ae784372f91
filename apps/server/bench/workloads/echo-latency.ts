import { closedLoop } from "../latency-client.js";
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

export interface EchoLatencyResult {
  concurrency: 1;
  byArm: Record<string, LatencyFigures>;
  /** `A2-A1`, `A3-A1`, `A1-A0`, `A5-A4`, `A6-A4`: what each layer adds, in microseconds. */
  added: Record<string, Partial<Record<"p50Us" | "p90Us" | "p99Us", Figure>>>;
}

/**
 * Workload (a): `tools/call echo` one at a time. The latency one client sees when nothing else
 * competes, so every microsecond an arm adds shows. Each round measures every arm in turn, each
 * in a new MCP session.
 */
export async function echoLatency(
  arms: MeasuredArm[],
  options: { rounds: number; durationMs: number; warmupMs: number; log: (line: string) => void },
): Promise<EchoLatencyResult> {
  const samples: Record<string, RoundSample[]> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const arm of arms) {
      const session = await arm.client.openSession();
      const result = await closedLoop(session, { concurrency: 1, ...options });
      await session.close();
      assertHealthy(arm.name, "echo latency", result);
      const sample = sampleOf(result);
      addTo(samples, arm.name, sample);
      options.log(
        `  round ${round} ${arm.name}: p50 ${sample.p50Us} us, p99 ${sample.p99Us} us, ${sample.requestsPerSecond} req/s`,
      );
    }
  }
  const byArm = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [name, latencyFigures(list)]),
  );
  const added: EchoLatencyResult["added"] = {};
  for (const [over, base] of [
    ["A1", "A0"],
    ["A2", "A1"],
    ["A3", "A1"],
    ["A7", "A1"],
    ["A5", "A4"],
    ["A6", "A4"],
  ] as const) {
    const figures = addedLatency(byArm, over, base, ["p50Us", "p90Us", "p99Us"]);
    if (figures) added[`${over}-${base}`] = figures;
  }
  return { concurrency: 1, byArm, added };
}
