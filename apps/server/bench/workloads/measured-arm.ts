import { encodeHistogram, type LatencySummary, summarize } from "../histogram.js";
import type { LoopResult, SessionClient } from "../latency-client.js";
import { type Figure, figureOf, pairedFigure } from "../round-stats.js";

/** An arm that is up, with the client that measures it. */
export interface MeasuredArm {
  name: string;
  label: string;
  client: SessionClient;
  /** The process whose cost the arm measures (the gateway, nginx...), when there is one. */
  pid?: number | undefined;
}

/** Past this share of failed requests a measurement is broken, not slow: the run fails. */
const MAX_ERROR_RATE = 0.01;

export class BrokenMeasurement extends Error {}

/** Fails the run when an arm answered nothing or too many errors (a bug, not a slow machine). */
export function assertHealthy(arm: string, what: string, result: LoopResult): void {
  const total = result.requests + result.errors;
  if (result.requests === 0 || result.errors / total > MAX_ERROR_RATE) {
    throw new BrokenMeasurement(
      `${arm} ${what}: ${result.requests} answers, ${result.errors} errors` +
        (result.firstError ? ` (first: ${result.firstError})` : ""),
    );
  }
}

/** One round of one arm at one load: its latency summary and histogram. */
export interface RoundSample extends LatencySummary {
  requestsPerSecond: number;
  errors: number;
  dropped: number;
  /** The HDR histogram of the round (nanoseconds), compressed: any percentile can be recomputed. */
  histogram: string;
}

export function sampleOf(result: LoopResult): RoundSample {
  return {
    ...summarize(result.histogram),
    requestsPerSecond: Math.round(result.requestsPerSecond),
    errors: result.errors,
    dropped: result.dropped,
    histogram: encodeHistogram(result.histogram),
  };
}

/** The figures of an arm over its rounds. */
export interface LatencyFigures {
  p50Us: Figure;
  p90Us: Figure;
  p99Us: Figure;
  requestsPerSecond: Figure;
  samples: RoundSample[];
}

export function latencyFigures(samples: RoundSample[]): LatencyFigures {
  const of = (pick: (s: RoundSample) => number) => figureOf(samples.map(pick));
  return {
    p50Us: of((s) => s.p50Us),
    p90Us: of((s) => s.p90Us),
    p99Us: of((s) => s.p99Us),
    requestsPerSecond: of((s) => s.requestsPerSecond),
    samples,
  };
}

/** `A2-A1`: how much one arm adds to another, per percentile, paired round by round. */
export function addedLatency(
  byArm: Record<string, LatencyFigures>,
  over: string,
  base: string,
  percentiles: ReadonlyArray<"p50Us" | "p90Us" | "p99Us">,
): Partial<Record<"p50Us" | "p90Us" | "p99Us", Figure>> | undefined {
  const a = byArm[over];
  const b = byArm[base];
  if (!a || !b) return undefined;
  return Object.fromEntries(
    percentiles.map((p) => [p, pairedFigure(a[p].rounds, b[p].rounds, (x, y) => x - y)]),
  );
}
