import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The parts of V8's `.cpuprofile` (written by `node --cpu-prof`) a summary needs. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy time (everything but idle), 0..1. */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Self time by where the code lives: a package, a folder of our src, node's internals, GC. */
  byArea: ProfileEntry[];
  /** Self time by function, the top ones. */
  byFunction: ProfileEntry[];
}

const IDLE = "(idle)";

/**
 * Where a function's code lives, coarse enough to say what dominates: `pino`, `undici`,
 * `src/gateway`, `node:internal/streams`, `(garbage collector)`.
 */
export function areaOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg?.[1]) return pkg[1];
  const ours = /\/apps\/server\/(src|test|bench)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  const internal = /^node:(internal\/[^/]+|[^/]+)/.exec(url);
  if (internal?.[1]) return `node:${internal[1].replace(/\.js$/, "")}`;
  return url.replace(/^file:\/\//, "");
}

const shortUrl = (url: string) =>
  url.replace(/^file:\/\/.*?\/(node_modules|apps)\//, "$1/").replace(/^node:/, "node:");

function rank(totals: Map<string, number>, busyMs: number, top: number): ProfileEntry[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({
      name,
      ms: Math.round(ms),
      share: busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 1000 : 0,
    }));
}

/** Self time of each function and each area, over one or more profiles (one per process). */
export function summarizeProfiles(profiles: readonly CpuProfile[], top = 20): ProfileSummary {
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  for (const profile of profiles) {
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((nodeId, i) => {
      const frame = frames.get(nodeId);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      if (!frame) return;
      if (frame.functionName === IDLE) {
        idleMs += ms;
        return;
      }
      busyMs += ms;
      const area = areaOf(frame.url, frame.functionName);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
      const fn = frame.url
        ? `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
        : frame.functionName;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    });
  }
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    byArea: rank(byArea, busyMs, top),
    byFunction: rank(byFunction, busyMs, top),
  };
}

/** The `.cpuprofile` files `node --cpu-prof-dir` wrote into `dir` (one per process), parsed. */
export async function readProfiles(
  dir: string,
): Promise<{ files: string[]; profiles: CpuProfile[] }> {
  const files = (await readdir(dir))
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f));
  const profiles = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(f, "utf8")) as CpuProfile),
  );
  return { files, profiles };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (e: ProfileEntry) => `${(e.share * 100).toFixed(1).padStart(5)}%`;
  return [
    `busy ${summary.busyMs} ms, idle ${summary.idleMs} ms; self time of the busy part:`,
    "  by area:",
    ...summary.byArea.map((e) => `  ${pct(e)}  ${e.name}`),
    "  by function:",
    ...summary.byFunction.map((e) => `  ${pct(e)}  ${e.name}`),
  ].join("\n");
}
