import { describe, expect, it } from "vitest";
import {
  describeProcesses,
  growthAfterWarmup,
  mbPerHour,
  type SoakSample,
} from "./soak-analysis.js";

const MB = 2 ** 20;
const sample = (t: number, rssBytes: number, heapUsedBytes?: number): SoakSample => ({
  t,
  rssBytes,
  rssBeforeGcBytes: rssBytes,
  heapUsedBytes,
  sessions: 0,
  children: 0,
  calls: 0,
  errors: 0,
});

describe("growth of a soak's memory readings", () => {
  it("fits only the readings after the warm-up and up to the end of the load", () => {
    // A steep warm-up (100 MB in the first minute), then 2 MB per hour, then an idle drop.
    const samples = [
      sample(0, 100 * MB),
      sample(30, 150 * MB),
      ...Array.from({ length: 11 }, (_, i) => sample(60 + i * 60, 200 * MB + (i * MB) / 30)),
      sample(800, 120 * MB),
    ];
    const growth = growthAfterWarmup(samples, (s) => s.rssBytes, 60, 660);
    expect(growth).toMatchObject({ points: 11, fromSeconds: 60, toSeconds: 660 });
    expect(mbPerHour(growth?.bytesPerHour ?? 0)).toBe(2);
    expect(growth?.stdErrBytesPerHour).toBeCloseTo(0, 3);
  });

  it("gives the slope's standard error when the readings scatter around a flat line", () => {
    const samples = Array.from({ length: 20 }, (_, i) =>
      sample(i * 10, 300 * MB + (i % 2 === 0 ? 1 : -1) * 4 * MB),
    );
    const growth = growthAfterWarmup(samples, (s) => s.rssBytes, 0, 1000);
    expect(Math.abs(growth?.bytesPerHour ?? 0)).toBeLessThan(2 * (growth?.stdErrBytesPerHour ?? 0));
    expect(growth?.stdErrBytesPerHour).toBeGreaterThan(0);
  });

  it("skips readings without the figure, and needs three", () => {
    const samples = [sample(0, MB, 1), sample(10, MB), sample(20, MB, 3), sample(30, MB, 5)];
    expect(growthAfterWarmup(samples, (s) => s.heapUsedBytes, 0, 30)?.points).toBe(3);
    expect(growthAfterWarmup(samples, (s) => s.heapUsedBytes, 10, 30)).toBeUndefined();
  });
});

describe("a process tree in a few words", () => {
  it("counts executables, most numerous first", () => {
    expect(describeProcesses(["node", "bwrap", "bwrap", "node", "bwrap"])).toBe("bwrap×3, node×2");
    expect(describeProcesses([])).toBe("");
  });
});
