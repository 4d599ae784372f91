import { describe, expect, it } from "vitest";
import { addTo, figureOf, formatFigure, median, pairedFigure } from "./round-stats.js";

describe("figures over rounds", () => {
  it("takes the middle value of an odd count and the mean of the middles of an even one", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("keeps the spread and every round in run order", () => {
    expect(figureOf([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, rounds: [30, 10, 20] });
  });

  it("derives a figure round by round, so what a round shares cancels out", () => {
    // Round 2 was slow for both arms: the difference stays 10 in every round.
    const gateway = [110, 510, 112];
    const direct = [100, 500, 102];
    expect(pairedFigure(gateway, direct, (a, b) => a - b)).toEqual({
      median: 10,
      min: 10,
      max: 10,
      rounds: [10, 10, 10],
    });
    expect(() => pairedFigure([1, 2], [1], (a, b) => a - b)).toThrow(/unpaired/);
  });

  it("prints the median with its range, or the value alone for one round", () => {
    expect(formatFigure(figureOf([12.34, 11.9, 13]))).toBe("12.3 (11.9–13.0)");
    expect(formatFigure(figureOf([0.7]), 2)).toBe("0.70");
    expect(formatFigure(figureOf([Number.POSITIVE_INFINITY]))).toBe("Infinity");
  });

  it("collects rounds per arm", () => {
    const lists: Record<string, number[]> = {};
    addTo(lists, "A1", 1);
    addTo(lists, "A1", 2);
    addTo(lists, "A2", 3);
    expect(lists).toEqual({ A1: [1, 2], A2: [3] });
  });
});
