import type { Endpoint, SessionClient } from "../latency-client.js";

/**
 * A running arm: where to reach it (an HTTP endpoint the shared latency client measures, or for
 * a stdio arm the session client that stands in for it), and how to stop everything it started.
 */
export type RunningArm = ArmProcess & (Endpoint | { client: SessionClient });

interface ArmProcess {
  /** The process whose cost the arm measures (the gateway, nginx's worker...), when there is one. */
  pid?: number | undefined;
  /** Where a CPU profile of that process will be once `close` returns, when one was asked for. */
  profileDir?: string | undefined;
  close(): Promise<void>;
}

/**
 * One way of serving the same MCP `echo` call, measured side by side with the others. `start`
 * throws `ArmSkipped` when this machine cannot run the arm (nginx not installed...): the suite
 * reports it skipped with the reason and goes on.
 */
export interface Arm {
  /** Short id used in tables and results: "A0", "A1"... */
  name: string;
  /** What it is, in a few words. */
  label: string;
  start(): Promise<RunningArm>;
}

export class ArmSkipped extends Error {}

/** The shared upstream: one server-everything process that A1 is and A2/A3 sit in front of. */
export interface Upstream {
  /** Its Streamable HTTP endpoint. */
  url: string;
  pid: number | undefined;
}
