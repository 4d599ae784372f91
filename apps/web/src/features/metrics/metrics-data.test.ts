import type { InvocationSummary, ServerEvent } from "@mcphost/api-client";
import { describe, expect, it } from "vitest";
import {
  bucketEvents,
  callSeries,
  EVENT_KINDS,
  filtersFromParams,
  mergeEvents,
  metricsWindow,
  RANGES,
  stack,
  statsSeries,
  withFilters,
} from "./metrics-data";

const T0 = Date.parse("2026-01-01T10:00:00Z");
const range = (id: string) => {
  const found = RANGES.find((r) => r.id === id);
  if (!found) throw new Error(`no range ${id}`);
  return found;
};

function event(id: number, kind: string, seconds: number): ServerEvent {
  return {
    id,
    serverId: "srv_1",
    kind,
    details: {},
    time: new Date(T0 + seconds * 1000).toISOString(),
  };
}

describe("the metrics filters in the URL", () => {
  it("default to the last hour and every kind, and stay out of the URL then", () => {
    const filters = filtersFromParams(new URLSearchParams(""));
    expect(filters.range.id).toBe("1h");
    expect(filters.kinds).toEqual(EVENT_KINDS);
    expect(withFilters(new URLSearchParams("tab=x"), filters).toString()).toBe("tab=x");
  });

  it("round-trip a range and some kinds, ignoring unknown ones", () => {
    const filters = filtersFromParams(new URLSearchParams("range=7d&kinds=crash,start,bogus"));
    expect(filters.range.id).toBe("7d");
    expect(filters.kinds).toEqual(["start", "crash"]);
    expect(withFilters(new URLSearchParams(), filters).toString()).toBe(
      "range=7d&kinds=start%2Ccrash",
    );
    expect(filtersFromParams(new URLSearchParams("range=forever")).range.id).toBe("1h");
  });

  it("keep 'no kind at all' apart from 'every kind'", () => {
    const none = filtersFromParams(new URLSearchParams("kinds="));
    expect(none.kinds).toEqual([]);
    expect(withFilters(new URLSearchParams(), none).get("kinds")).toBe("");
  });
});

describe("the charts' window", () => {
  it("ends on the bucket boundary after now and spans the range", () => {
    const w = metricsWindow(range("1h"), T0 + 61_500);
    expect(new Date(w.until).toISOString()).toBe("2026-01-01T10:02:00.000Z");
    expect(w.until - w.since).toBe(3_600_000);
    // 15 minutes by 10 s, but aligned to the 30 s CPU buckets so both charts line up.
    const short = metricsWindow(range("15m"), T0 + 31_000);
    expect(new Date(short.until).toISOString()).toBe("2026-01-01T10:01:00.000Z");
  });
});

describe("events over time", () => {
  const window = { since: T0, until: T0 + 180_000, bucketSeconds: 60, statsBucketSeconds: 60 };

  it("counts each kind per bucket, leaving out kinds without events and events outside", () => {
    const events = [
      event(1, "start", 5),
      event(2, "crash", 70),
      event(3, "restart", 71),
      event(4, "crash", 100),
      event(5, "start", 200), // after the window
      event(6, "status", 10), // not a usage event
    ];
    const { x, series } = bucketEvents(events, window);
    expect(x).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(series).toEqual([
      { kind: "start", counts: [1, 0, 0] },
      { kind: "restart", counts: [0, 1, 0] },
      { kind: "crash", counts: [0, 2, 0] },
    ]);
  });

  it("stack into running totals for stacked bars", () => {
    expect(
      stack([
        [1, 0, 2],
        [0, 3, null],
        [1, 1, 1],
      ]),
    ).toEqual([
      [1, 0, 2],
      [1, 3, 2],
      [2, 4, 3],
    ]);
  });

  it("take live arrivals once each, in order", () => {
    const merged = mergeEvents(
      [event(1, "start", 0), event(3, "stop", 2)],
      [event(2, "crash", 1), event(3, "stop", 2)],
    );
    expect(merged.map((e) => e.id)).toEqual([1, 2, 3]);
  });
});

describe("MCP calls and resources", () => {
  it("turn summary buckets into calls per minute, error rates and latency lines", () => {
    const empty = { calls: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null };
    const summary: InvocationSummary = {
      bucketSeconds: 10,
      buckets: [
        { start: new Date(T0).toISOString(), calls: 4, errors: 1, p50Ms: 3, p95Ms: 9, p99Ms: 9.8 },
        { start: new Date(T0 + 10_000).toISOString(), ...empty },
      ],
      totals: { calls: 4, errors: 1, p50Ms: 3, p95Ms: 9, p99Ms: 9.8 },
    };
    expect(callSeries(summary)).toEqual({
      x: [T0, T0 + 10_000],
      callsPerMinute: [24, 0],
      errorRate: [25, null],
      p50: [3, null],
      p95: [9, null],
      p99: [9.8, null],
    });
  });

  it("place CPU and memory samples on their buckets, with gaps where the server was down", () => {
    const window = { since: T0, until: T0 + 90_000, bucketSeconds: 10, statsBucketSeconds: 30 };
    const samples = [
      { time: new Date(T0).toISOString(), cpuPercent: 12.345, memoryBytes: 50 * 1024 * 1024 },
      { time: new Date(T0 + 60_000).toISOString(), cpuPercent: 1, memoryBytes: 1024 * 1024 },
    ];
    expect(statsSeries(samples, window)).toEqual({
      x: [T0, T0 + 30_000, T0 + 60_000],
      cpuPercent: [12.35, null, 1],
      memoryMb: [50, null, 1],
    });
  });
});
