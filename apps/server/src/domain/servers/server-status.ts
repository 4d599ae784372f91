import { DomainError } from "../../lib/errors.js";

export const SERVER_STATUSES = [
  "created",
  "installing",
  "pulling",
  "starting",
  "running",
  "unhealthy",
  "crashloop",
  "stopping",
  "stopped",
  "error",
  "removing",
] as const;

export type ServerStatus = (typeof SERVER_STATUSES)[number];

/**
 * Every legal status change. Anything else is a bug in the lifecycle code and fails loudly.
 * `removing` is reachable from everywhere (delete always works) and leads nowhere (the row goes).
 */
/** Where a serving server (running or unhealthy) may go besides the other serving status. */
const LEAVING_SERVICE = [
  "crashloop",
  "starting",
  "stopping",
  "stopped",
  "error",
  "installing",
  "pulling",
] as const satisfies readonly ServerStatus[];

const TRANSITIONS: Record<ServerStatus, readonly ServerStatus[]> = {
  created: ["installing", "pulling", "starting", "stopped", "error"],
  installing: ["pulling", "starting", "stopped", "error", "stopping"],
  pulling: ["starting", "stopped", "error", "stopping"],
  starting: ["running", "unhealthy", "crashloop", "stopping", "stopped", "error", "starting"],
  running: ["unhealthy", ...LEAVING_SERVICE],
  unhealthy: ["running", ...LEAVING_SERVICE],
  crashloop: ["starting", "running", "stopping", "stopped", "error", "installing", "pulling"],
  stopping: ["stopped", "error"],
  stopped: ["installing", "pulling", "starting", "stopped", "error"],
  error: ["installing", "pulling", "starting", "stopping", "stopped", "error"],
  removing: [],
};

export function canTransition(from: ServerStatus, to: ServerStatus): boolean {
  // Staying put (with a new reason) is always fine, except that nothing leaves `removing`.
  if (from === to) return true;
  return to === "removing" || TRANSITIONS[from].includes(to);
}

/** Throws when `from -> to` is not in the table. */
export function assertTransition(from: ServerStatus, to: ServerStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError("CONFLICT", `Illegal server status change: ${from} -> ${to}`);
  }
}

/** Statuses in which the server has (or is getting) a live instance. */
export const ACTIVE_STATUSES: ReadonlySet<ServerStatus> = new Set([
  "installing",
  "pulling",
  "starting",
  "running",
  "unhealthy",
  "crashloop",
]);
