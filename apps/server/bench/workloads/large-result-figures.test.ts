import { describe, expect, it } from "vitest";
import { largeResultFigures, type ThroughputSample } from "./large-result-figures.js";

const MIB = 1024 * 1024;
const sample = (round: number, arm: string, concurrency: number, resultsPerSecond: number) =>
  ({ round, arm, concurrency, resultsPerSecond, p50Ms: 1, p99Ms: 2 }) satisfies ThroughputSample;

describe("the large-result figures", () => {
  const figures = largeResultFigures({
    bytes: MIB / 2,
    arms: { A1: "direct", A2: "gateway", A7: "bare proxy" },
    throughput: [
      sample(1, "A1", 1, 100),
      sample(1, "A2", 1, 50),
      sample(1, "A1", 4, 200),
      sample(1, "A2", 4, 180),
      sample(2, "A1", 1, 120),
      sample(2, "A2", 1, 60),
      sample(2, "A1", 4, 100), // a noisy round: A1's peak is at concurrency 1
      sample(2, "A2", 4, 90),
      { ...sample(1, "A7", 1, 80), cpuMsPerResult: 1.5 },
      { ...sample(2, "A7", 1, 96), cpuMsPerResult: 2.5 },
    ],
    rss: [
      { round: 1, inFlight: 16, baselineBytes: 100 * MIB, peakBytes: 132 * MIB, method: "hwm" },
      { round: 1, inFlight: 64, baselineBytes: 100 * MIB, peakBytes: 164 * MIB, method: "hwm" },
    ],
  });

  it("gives results and MiB per second by arm and concurrency", () => {
    expect(figures.byArm.A1?.byConcurrency[4]?.resultsPerSecond.rounds).toEqual([200, 100]);
    expect(figures.byArm.A1?.byConcurrency[4]?.mibPerSecond.rounds).toEqual([100, 50]);
  });

  it("pairs the ratios round by round, the peak being each round's best concurrency", () => {
    expect(figures.ratioByConcurrency[1]?.rounds).toEqual([0.5, 0.5]);
    expect(figures.byArm.A1?.peakResultsPerSecond.rounds).toEqual([200, 120]);
    expect(figures.byArm.A2?.peakResultsPerSecond.rounds).toEqual([180, 90]);
    expect(figures.peakRatio?.rounds).toEqual([0.9, 0.75]);
  });

  it("gives every other arm's share of direct and its CPU per result, the target staying A2's", () => {
    expect(figures.byArm.A7?.byConcurrency[1]?.vsDirect?.rounds).toEqual([0.8, 0.8]);
    expect(figures.byArm.A7?.byConcurrency[1]?.cpuMsPerResult?.median).toBe(2);
    expect(figures.byArm.A2?.byConcurrency[1]?.cpuMsPerResult).toBeUndefined();
    expect(figures.peakRatio?.rounds).toEqual([0.9, 0.75]);
  });

  it("divides the rise of RSS by the requests in flight, judged at the most in flight", () => {
    expect(figures.rssByInFlight[16]?.bytesPerRequest.median).toBe(2 * MIB);
    expect(figures.rssBytesPerRequest?.median).toBe(MIB);
  });
});
