import { describe, expect, it } from "vitest";
import { searchSaturation } from "./saturation-search.js";

const options = { levels: [1, 2, 4, 8, 16, 32, 64], minGain: 0.05, patience: 2 };

/** A system whose throughput follows `curve` by concurrency; records what was asked. */
function fake(curve: Record<number, number>) {
  const asked: number[] = [];
  return {
    asked,
    measure: async (c: number) => {
      asked.push(c);
      return curve[c] ?? 0;
    },
  };
}

describe("the saturation search", () => {
  it("stops after two steps without growth and reports the peak", async () => {
    const system = fake({ 1: 500, 2: 950, 4: 1700, 8: 1750, 16: 1600, 32: 1500 });
    const found = await searchSaturation(system.measure, options);
    expect(system.asked).toEqual([1, 2, 4, 8, 16]);
    // 8 beat 4 by less than 5%: not growth, but still the highest figure seen.
    expect(found).toMatchObject({ requestsPerSecond: 1750, concurrency: 8 });
    expect(found.steps).toHaveLength(5);
  });

  it("does not stop on one noisy flat step", async () => {
    const system = fake({ 1: 100, 2: 200, 4: 190, 8: 400, 16: 410, 32: 405 });
    const found = await searchSaturation(system.measure, options);
    expect(system.asked).toEqual([1, 2, 4, 8, 16, 32]);
    expect(found).toMatchObject({ requestsPerSecond: 410, concurrency: 16 });
  });

  it("ends at the last level when throughput keeps growing", async () => {
    const system = fake({ 1: 1, 2: 2, 4: 4, 8: 8, 16: 16, 32: 32, 64: 64 });
    expect(await searchSaturation(system.measure, options)).toMatchObject({ concurrency: 64 });
  });
});
