import { linearFit } from "./linear-fit.js";

/** One reading of the gateway during a soak. */
export interface SoakSample {
  /** Seconds since the load started. */
  t: number;
  /**
   * Resident memory of the gateway process (/proc/<pid>/status VmRSS), read right after the full
   * GC of `heapUsedBytes` when there was one: at a high rate, garbage not yet collected moves RSS
   * before a GC by tens of megabytes from one reading to the next, drowning a slow leak's slope.
   */
  rssBytes: number;
  /** The same, read just before that GC. */
  rssBeforeGcBytes: number;
  /** Its heap right after a full GC (the gc hook), when the hook answered. */
  heapUsedBytes?: number | undefined;
  /** MCP sessions the gateway lists, both servers together. */
  sessions: number;
  /** Processes below the gateway (its whole tree, by parent pid). */
  children: number;
  /** Echo calls of the steady load answered so far, and failed so far. */
  calls: number;
  errors: number;
}

/** How fast a memory figure grows, from a least-squares line through the readings. */
export interface Growth {
  /** Slope, in bytes per hour. */
  bytesPerHour: number;
  /**
   * Standard error of that slope: with readings that go up and down by GC cycles, a slope within
   * about two of these from zero is not distinguishable from no growth.
   */
  stdErrBytesPerHour: number;
  r2: number;
  /** Readings the line was fitted to, and the time span they cover (seconds since the start). */
  points: number;
  fromSeconds: number;
  toSeconds: number;
}

/**
 * The growth of `pick` over the readings taken at or after `warmupSeconds` and at or before
 * `loadSeconds` (readings after the load stopped describe a different, idle process). Undefined
 * when fewer than three readings remain: a line through two says nothing about its own noise.
 */
export function growthAfterWarmup(
  samples: readonly SoakSample[],
  pick: (s: SoakSample) => number | undefined,
  warmupSeconds: number,
  loadSeconds: number,
): Growth | undefined {
  const points = samples
    .filter((s) => s.t >= warmupSeconds && s.t <= loadSeconds)
    .flatMap((s) => {
      const y = pick(s);
      return y === undefined ? [] : [{ x: s.t / 3600, y }];
    });
  if (points.length < 3) return undefined;
  const fit = linearFit(points);
  const mx = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  let sse = 0;
  let sxx = 0;
  for (const { x, y } of points) {
    sse += (y - (fit.intercept + fit.slope * x)) ** 2;
    sxx += (x - mx) ** 2;
  }
  return {
    bytesPerHour: fit.slope,
    stdErrBytesPerHour: Math.sqrt(sse / (points.length - 2) / sxx),
    r2: fit.r2,
    points: points.length,
    fromSeconds: (points[0] as { x: number }).x * 3600,
    toSeconds: (points.at(-1) as { x: number }).x * 3600,
  };
}

/** Bytes per hour as MB (2^20 bytes, like the suite's other memory figures) per hour, two decimals. */
export const mbPerHour = (bytesPerHour: number) => Math.round((bytesPerHour / 2 ** 20) * 100) / 100;

/** `node×2, bwrap×4`: what a process tree holds, by executable name, most numerous first. */
export function describeProcesses(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${name}×${n}`)
    .join(", ");
}
