import { DEFAULT_SATURATION, type SaturationOptions } from "./saturation-search.js";
import type { ControlPlaneSettings } from "./workloads/control-plane.js";
import type { DeploySettings } from "./workloads/deploy.js";
import type { LargeResultSettings } from "./workloads/large-result.js";
import type { SoakSettings } from "./workloads/soak.js";

export const WORKLOADS = [
  "latency",
  "cpu",
  "saturation",
  "half-load",
  "session-churn",
  "idle-sessions",
  "invalid-requests",
  "abandoned-sessions",
  "large-result",
  "job-pickup",
  "control-plane",
  "deploy",
  "soak",
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
export const ARM_NAMES = ["A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7"] as const;

/** How long and how often each workload measures. */
export interface Settings {
  /** Closed loop at concurrency 8 on each arm after it starts, unrecorded: JIT, connections. */
  armWarmupMs: number;
  latency: { rounds: number; durationMs: number; warmupMs: number };
  /** CPU time per call of each arm's process, closed loop below saturation. */
  cpuPerRequest: { rounds: number; durationMs: number; concurrency: number };
  saturation: { rounds: number; stepMs: number; warmupMs: number; search: SaturationOptions };
  halfLoad: { rounds: number; durationMs: number; warmupMs: number };
  jobPickup: { rounds: number; samples: number };
  sessionChurn: { rounds: number; durationMs: number; concurrency: number };
  /** Sessions open at each memory reading; the first is the baseline. */
  idleSessions: { levels: number[] };
  invalidRequests: { requests: number };
  /**
   * `idleSeconds` is MCPHOST_SESSION_IDLE_SECONDS for that gateway (10 is its minimum).
   * `background`: run alongside the other workloads, as its wait is idle time (smoke run only:
   * a full run keeps every measurement alone on the machine).
   */
  abandonedSessions: { sessions: number; idleSeconds: number; background: boolean };
  /** 1 MiB tool results, direct and through the gateway: throughput, and the gateway's RSS. */
  largeResult: LargeResultSettings;
  /** `GET /api/servers` of a user's servers, on PGlite and on PostgreSQL. */
  controlPlane: ControlPlaneSettings;
  /** Deploy to first `tools/list`, process and Docker runtimes, against a plain start. */
  deploy: DeploySettings;
  /** Issue 6's soak: half load with session churn on a gateway of its own; last, and alone. */
  soak: SoakSettings;
}

/**
 * The full suite, a few minutes on a small machine. Latency workloads get five rounds (their
 * tails vary most); a saturation search is long already, three rounds give its median.
 */
export const FULL: Settings = {
  armWarmupMs: 2000,
  latency: { rounds: 5, durationMs: 2000, warmupMs: 300 },
  cpuPerRequest: { rounds: 3, durationMs: 3000, concurrency: 4 },
  saturation: { rounds: 3, stepMs: 1000, warmupMs: 200, search: DEFAULT_SATURATION },
  halfLoad: { rounds: 5, durationMs: 3000, warmupMs: 300 },
  jobPickup: { rounds: 3, samples: 100 },
  sessionChurn: { rounds: 3, durationMs: 3000, concurrency: 4 },
  idleSessions: { levels: [0, 1000, 5000, 10_000] },
  invalidRequests: { requests: 20_000 },
  abandonedSessions: { sessions: 200, idleSeconds: 10, background: false },
  largeResult: {
    rounds: 3,
    bytes: 1024 * 1024,
    concurrencies: [1, 4, 16],
    durationMs: 2000,
    warmupMs: 300,
    rss: { inFlight: [16, 64], durationMs: 1500, settleMs: 500 },
  },
  controlPlane: {
    rounds: 3,
    servers: 1000,
    concurrencies: [1, 8],
    durationMs: 2000,
    warmupMs: 300,
  },
  deploy: { rounds: 5, warmUp: true },
  soak: {
    minutes: 30,
    sampleSeconds: 10,
    warmupShare: 0.2,
    idleSeconds: 10,
    httpSessionsPerSecond: 2,
    stdioSessionsPerSecond: 0.2,
    abandonEvery: 3,
    background: false,
  },
};

/**
 * The smoke run (`--quick`): every arm and workload, briefly, once. It proves the suite works;
 * its figures mean little and nothing judges them.
 */
export const QUICK: Settings = {
  armWarmupMs: 100,
  latency: { rounds: 1, durationMs: 200, warmupMs: 50 },
  cpuPerRequest: { rounds: 1, durationMs: 300, concurrency: 2 },
  saturation: {
    rounds: 1,
    stepMs: 200,
    warmupMs: 50,
    search: { levels: [1, 4], minGain: 0.05, patience: 2 },
  },
  halfLoad: { rounds: 1, durationMs: 300, warmupMs: 50 },
  jobPickup: { rounds: 1, samples: 10 },
  sessionChurn: { rounds: 1, durationMs: 300, concurrency: 2 },
  idleSessions: { levels: [0, 50, 100] },
  invalidRequests: { requests: 500 },
  abandonedSessions: { sessions: 20, idleSeconds: 10, background: true },
  largeResult: {
    rounds: 1,
    bytes: 1024 * 1024,
    concurrencies: [1, 16],
    durationMs: 300,
    warmupMs: 50,
    rss: { inFlight: [16], durationMs: 300, settleMs: 200 },
  },
  // Fewer servers: seeding 1,000 through the API takes seconds per database.
  controlPlane: { rounds: 1, servers: 100, concurrencies: [1, 8], durationMs: 300, warmupMs: 50 },
  deploy: { rounds: 1, warmUp: false },
  // Ten seconds of load, then the wait for the reaper, alongside the rest of the smoke run.
  soak: {
    minutes: 10 / 60,
    sampleSeconds: 2,
    warmupShare: 0.2,
    idleSeconds: 10,
    httpSessionsPerSecond: 2,
    stdioSessionsPerSecond: 0.2,
    abandonEvery: 3,
    background: true,
  },
};

/** `--rounds n` sets every workload's rounds. */
export function withRounds(settings: Settings, rounds: number | undefined): Settings {
  if (rounds === undefined) return settings;
  return {
    ...settings,
    latency: { ...settings.latency, rounds },
    cpuPerRequest: { ...settings.cpuPerRequest, rounds },
    saturation: { ...settings.saturation, rounds },
    halfLoad: { ...settings.halfLoad, rounds },
    jobPickup: { ...settings.jobPickup, rounds },
    sessionChurn: { ...settings.sessionChurn, rounds },
    largeResult: { ...settings.largeResult, rounds },
    controlPlane: { ...settings.controlPlane, rounds },
    deploy: { ...settings.deploy, rounds },
  };
}

/** `--soak-minutes n`: the soak's load runs n minutes (a reader's shorter soak; any positive n). */
export function withSoakMinutes(settings: Settings, minutes: number | undefined): Settings {
  if (minutes === undefined) return settings;
  if (!(Number.isFinite(minutes) && minutes > 0))
    throw new Error("--soak-minutes must be a positive number");
  return { ...settings, soak: { ...settings.soak, minutes } };
}

/** Parses a comma-separated list against the allowed names; an unknown name is an error. */
export function parseList<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T[] {
  if (value === undefined) return [...allowed];
  const names = value.split(",").map((s) => s.trim()) as T[];
  const unknown = names.filter((n) => !allowed.includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown ${what}: ${unknown.join(", ")} (expected ${allowed.join(", ")})`);
  return allowed.filter((n) => names.includes(n));
}
