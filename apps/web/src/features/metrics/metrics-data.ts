import type { InvocationSummary, ServerEvent, ServerStatsSample } from "@mcphost/api-client";

/** The usage event kinds the API records (status changes are not among them). */
export const EVENT_KINDS = [
  "create",
  "update",
  "deploy",
  "install",
  "pull",
  "start",
  "stop",
  "restart",
  "crash",
  "delete",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface RangeOption {
  id: string;
  label: string;
  seconds: number;
  /** Bucket of the calls and events charts. */
  bucketSeconds: number;
  /** Bucket of the CPU and memory charts: never below the sampler's 15 s, or most would be empty. */
  statsBucketSeconds: number;
}

/** The time ranges the tab offers; each keeps the charts under about 170 buckets. */
export const RANGES: readonly RangeOption[] = [
  { id: "15m", label: "Last 15 minutes", seconds: 900, bucketSeconds: 10, statsBucketSeconds: 30 },
  { id: "1h", label: "Last hour", seconds: 3_600, bucketSeconds: 60, statsBucketSeconds: 60 },
  { id: "6h", label: "Last 6 hours", seconds: 21_600, bucketSeconds: 300, statsBucketSeconds: 300 },
  {
    id: "24h",
    label: "Last 24 hours",
    seconds: 86_400,
    bucketSeconds: 900,
    statsBucketSeconds: 900,
  },
  {
    id: "7d",
    label: "Last 7 days",
    seconds: 604_800,
    bucketSeconds: 3_600,
    statsBucketSeconds: 3_600,
  },
];
export const DEFAULT_RANGE = RANGES[1] as RangeOption;

export interface MetricsFilters {
  range: RangeOption;
  /** The event kinds to chart; all of them unless the URL narrows it. */
  kinds: readonly EventKind[];
}

export const isKind = (k: string): k is EventKind => (EVENT_KINDS as readonly string[]).includes(k);

/** `?range=6h&kinds=start,crash`; unknown values fall back to the defaults (last hour, every kind). */
export function filtersFromParams(params: URLSearchParams): MetricsFilters {
  const range = RANGES.find((r) => r.id === params.get("range")) ?? DEFAULT_RANGE;
  const raw = params.get("kinds");
  // Absent: every kind. Present but empty: none (the reader unticked them all).
  const kinds = raw === null ? EVENT_KINDS : EVENT_KINDS.filter((k) => raw.split(",").includes(k));
  return { range, kinds };
}

/** The search parameters for `filters`, keeping any others; defaults are left out of the URL. */
export function withFilters(params: URLSearchParams, filters: MetricsFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  if (filters.range.id === DEFAULT_RANGE.id) next.delete("range");
  else next.set("range", filters.range.id);
  const kinds = EVENT_KINDS.filter((k) => filters.kinds.includes(k));
  if (kinds.length === EVENT_KINDS.length) next.delete("kinds");
  else next.set("kinds", kinds.join(","));
  return next;
}

/** The span every chart shows, in epoch milliseconds: `[since, until)`. */
export interface MetricsWindow {
  since: number;
  until: number;
  bucketSeconds: number;
  statsBucketSeconds: number;
}

/**
 * The range ending at the bucket boundary at or after `now`, so buckets line up with the server's
 * (whole multiples of their size since the epoch) and the newest one holds the present.
 */
export function metricsWindow(range: RangeOption, now: number): MetricsWindow {
  const step = Math.max(range.bucketSeconds, range.statsBucketSeconds) * 1000;
  const until = Math.ceil(now / step) * step;
  return {
    since: until - range.seconds * 1000,
    until,
    bucketSeconds: range.bucketSeconds,
    statsBucketSeconds: range.statsBucketSeconds,
  };
}

/** The starts of `bucketSeconds` buckets covering the window, in epoch milliseconds. */
export function bucketStarts(window: MetricsWindow, bucketSeconds: number): number[] {
  const size = bucketSeconds * 1000;
  const first = Math.floor(window.since / size) * size;
  const count = Math.ceil((window.until - first) / size);
  return Array.from({ length: count }, (_, i) => first + i * size);
}

/** Events per kind per bucket; only kinds with at least one event, in EVENT_KINDS order. */
export function bucketEvents(
  events: readonly ServerEvent[],
  window: MetricsWindow,
): { x: number[]; series: Array<{ kind: EventKind; counts: number[] }> } {
  const x = bucketStarts(window, window.bucketSeconds);
  const size = window.bucketSeconds * 1000;
  const first = x[0] ?? window.since;
  const counts = new Map<EventKind, number[]>();
  for (const event of events) {
    if (!isKind(event.kind)) continue;
    const index = Math.floor((Date.parse(event.time) - first) / size);
    if (index < 0 || index >= x.length) continue;
    let row = counts.get(event.kind);
    if (!row) {
      row = new Array<number>(x.length).fill(0);
      counts.set(event.kind, row);
    }
    row[index] = (row[index] ?? 0) + 1;
  }
  const series = EVENT_KINDS.filter((k) => counts.has(k)).map((kind) => ({
    kind,
    counts: counts.get(kind) as number[],
  }));
  return { x, series };
}

/** Running totals, for drawing stacked bars: row i is the sum of rows 0..i. */
export function stack(rows: ReadonlyArray<ReadonlyArray<number | null>>): number[][] {
  const out: number[][] = [];
  rows.forEach((row, i) => {
    const below = out[i - 1];
    out.push(row.map((v, j) => (v ?? 0) + (below?.[j] ?? 0)));
  });
  return out;
}

/** Adds events that arrived live to those loaded, once each, oldest first. */
export function mergeEvents(
  loaded: readonly ServerEvent[],
  arrived: readonly ServerEvent[],
): ServerEvent[] {
  const byId = new Map(loaded.map((e) => [e.id, e]));
  for (const e of arrived) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export interface CallSeries {
  x: number[];
  callsPerMinute: number[];
  /** Percent of calls that failed; null for buckets without calls. */
  errorRate: Array<number | null>;
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
}

/** The summary's buckets as chart rows; calls are per minute whatever the bucket size. */
export function callSeries(summary: InvocationSummary): CallSeries {
  const perMinute = 60 / summary.bucketSeconds;
  const b = summary.buckets;
  return {
    x: b.map((bucket) => Date.parse(bucket.start)),
    callsPerMinute: b.map((bucket) => round(bucket.calls * perMinute)),
    errorRate: b.map((bucket) => errorRate(bucket.calls, bucket.errors)),
    p50: b.map((bucket) => bucket.p50Ms),
    p95: b.map((bucket) => bucket.p95Ms),
    p99: b.map((bucket) => bucket.p99Ms),
  };
}

export function errorRate(calls: number, errors: number): number | null {
  return calls === 0 ? null : round((errors / calls) * 100);
}

const MIB = 1024 * 1024;

/** CPU and memory on the stats buckets of the window; null where the server did not run. */
export function statsSeries(
  samples: readonly ServerStatsSample[],
  window: MetricsWindow,
): { x: number[]; cpuPercent: Array<number | null>; memoryMb: Array<number | null> } {
  const x = bucketStarts(window, window.statsBucketSeconds);
  const byTime = new Map(samples.map((s) => [Date.parse(s.time), s]));
  return {
    x,
    cpuPercent: x.map((t) => {
      const s = byTime.get(t);
      return s ? round(s.cpuPercent) : null;
    }),
    memoryMb: x.map((t) => {
      const s = byTime.get(t);
      return s ? round(s.memoryBytes / MIB) : null;
    }),
  };
}

/** Two decimals are plenty for a chart and keep the data table readable. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
