import { describe, expect, it } from "vitest";
import { linearFit } from "./linear-fit.js";

describe("linearFit", () => {
  it("finds the slope and intercept of points on a line", () => {
    const fit = linearFit([0, 1000, 5000, 10_000].map((x) => ({ x, y: 50e6 + 2048 * x })));
    expect(fit.slope).toBeCloseTo(2048, 6);
    expect(fit.intercept).toBeCloseTo(50e6, 0);
    expect(fit.r2).toBeCloseTo(1, 9);
  });

  it("averages out noise instead of trusting the last point", () => {
    const fit = linearFit([
      { x: 0, y: 100 },
      { x: 0, y: 104 },
      { x: 10, y: 118 },
      { x: 10, y: 122 },
    ]);
    expect(fit.slope).toBeCloseTo(1.8, 9);
    expect(fit.intercept).toBeCloseTo(102, 9);
    expect(fit.r2).toBeGreaterThan(0.9);
  });

  it("refuses points that do not define a line", () => {
    expect(() => linearFit([{ x: 3, y: 1 }])).toThrow(/two different x/);
    expect(() => linearFit([])).toThrow();
  });
});
