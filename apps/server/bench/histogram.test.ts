import { describe, expect, it } from "vitest";
import {
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  newHistogram,
  summarize,
} from "./histogram.js";

const filled = (values: number[]) => {
  const h = newHistogram();
  for (const v of values) h.recordValue(v);
  return h;
};

describe("latency histograms", () => {
  it("summarises nanoseconds as microseconds within 0.1%", () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000); // 1..1000 us
    const s = summarize(filled(values));
    expect(s.count).toBe(1000);
    expect(s.p50Us).toBeCloseTo(500, -0.3);
    expect(s.p99Us).toBeCloseTo(990, -0.3);
    expect(s.maxUs).toBeCloseTo(1000, -0.3);
  });

  it("merges rounds into the distribution of all their samples", () => {
    // Round 1 is fast, round 2 slow: the pooled median lies between, its p99 is round 2's tail.
    const fast = Array.from({ length: 100 }, () => 100_000);
    const slow = Array.from({ length: 100 }, (_, i) => 1_000_000 + i * 10_000);
    const merged = summarize(mergeHistograms([filled(fast), filled(slow)]));
    const pooled = summarize(filled([...fast, ...slow]));
    expect(merged).toEqual(pooled);
    expect(merged.count).toBe(200);
  });

  it("survives the round trip through the results file", () => {
    const h = filled([1234, 56_789, 9_876_543]);
    const { maxUs, ...percentiles } = summarize(decodeHistogram(encodeHistogram(h)));
    const { maxUs: originalMax, ...originalPercentiles } = summarize(h);
    expect(percentiles).toEqual(originalPercentiles);
    // The encoding keeps buckets, not values: the max comes back as its bucket's top, within 0.1%.
    expect(Math.abs(maxUs - originalMax) / originalMax).toBeLessThan(0.001);
  });
});
