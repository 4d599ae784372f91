import type { ProfileSummary } from "../cpu-profile.js";
import type { ControlPlaneResult } from "../workloads/control-plane.js";
import type { CpuPerRequestResult } from "../workloads/cpu-per-request.js";
import type { DeployResult } from "../workloads/deploy.js";
import type { EchoLatencyResult } from "../workloads/echo-latency.js";
import type { HalfLoadResult } from "../workloads/half-load.js";
import type { JobPickupResult } from "../workloads/job-pickup.js";
import type { LargeResultResult } from "../workloads/large-result-figures.js";
import type { SaturationWorkloadResult } from "../workloads/saturation.js";
import type { SessionChurnResult } from "../workloads/session-churn.js";
import type {
  AbandonedSessionsResult,
  IdleSessionsResult,
  InvalidRequestsResult,
} from "../workloads/session-memory.js";
import type { SoakResult } from "../workloads/soak.js";
import type { Machine } from "./machine.js";
import type { TargetCheck } from "./targets.js";

/** Everything one run measured: the content of `bench/results/<date>.json`. */
export interface BenchResults {
  /** Bumped when the shape changes, so old files can still be read. */
  schema: 1;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: Machine;
  settings: unknown;
  arms: Array<{ name: string; label: string; status: "measured" | "skipped"; reason?: string }>;
  workloads: {
    echoLatency?: EchoLatencyResult;
    cpuPerRequest?: CpuPerRequestResult;
    saturation?: SaturationWorkloadResult;
    halfLoad?: HalfLoadResult;
    jobPickup?: JobPickupResult;
    controlPlane?: ControlPlaneResult;
    sessionChurn?: SessionChurnResult;
    idleSessions?: IdleSessionsResult;
    invalidRequests?: InvalidRequestsResult;
    abandonedSessions?: AbandonedSessionsResult;
    soak?: SoakResult;
    largeResult?: LargeResultResult;
    deploy?: DeployResult;
  };
  targets: TargetCheck[];
  /** With `--profile`: where the gateway process spent its CPU time. */
  profile?: ProfileSummary;
}

/** `2026-05-01T09-30-12Z`: sortable, unique per second, and without the colons some file systems refuse. */
export function resultFileStem(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
}
