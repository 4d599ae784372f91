import type { Server, ServerStatus } from "@mcphost/api-client";

/** One status change from the server's status stream (`details: {from, to, reason}`). */
export interface StatusChange {
  id: number;
  time: string;
  from: ServerStatus;
  to: ServerStatus;
  reason: string | null;
}

/** One `system` log line: what the lifecycle said it was doing. */
export interface SystemLine {
  id: number;
  time: string;
  line: string;
}

export type StepId = "queued" | "install" | "pull" | "start" | "run";

/** `cancelled`: the attempt was stopped before this step finished. */
export type StepState = "done" | "active" | "failed" | "pending" | "cancelled";

export interface DeployStep {
  id: StepId;
  label: string;
  state: StepState;
  /** The newest system line written while this step was under way; a failed one's error lines. */
  detail?: string;
  /** Why it failed (or why the running server is unhealthy). */
  reason?: string;
}

/** What started the attempt, worked out from where it came from and what it did. */
export type AttemptKind = "deploy" | "redeploy" | "start" | "restart";

export type Outcome = "in-progress" | "running" | "unhealthy" | "failed" | "stopped";

export interface DeployProgress {
  kind: AttemptKind;
  outcome: Outcome;
  /** When the attempt began; null while it is still queued. */
  startedAt: string | null;
  steps: DeployStep[];
}

export type DeployServer = Pick<
  Server,
  "source" | "runtime" | "status" | "statusReason" | "desiredState" | "resolvedVersion"
>;

const LABELS: Record<StepId, string> = {
  queued: "Queued",
  install: "Installing (npm)",
  pull: "Pulling image",
  start: "Starting",
  run: "Running",
};

const ORDER: readonly StepId[] = ["queued", "install", "pull", "start", "run"];

/** The statuses of an attempt under way; moving into one of them from elsewhere begins an attempt. */
const BUSY: ReadonlySet<ServerStatus> = new Set(["installing", "pulling", "starting"]);

const STEP_OF: Partial<Record<ServerStatus, StepId>> = {
  created: "queued",
  installing: "install",
  pulling: "pull",
  starting: "start",
  running: "run",
  unhealthy: "run",
};

/**
 * The steps of the server's latest deploy, start or restart, from its status history (oldest
 * first) and its system log lines. Returns null when there is nothing to show: the history has not
 * arrived yet, or the server was created stopped and never started.
 *
 * Steps that the attempt skipped (no install when the package is already there) are left out once a
 * later step was reached; before that, the steps the source usually needs are shown as pending.
 */
export function deploySteps(
  server: DeployServer,
  changes: readonly StatusChange[],
  systemLines: readonly SystemLine[],
): DeployProgress | null {
  // A start asked for (desired state running) that the worker has not begun yet.
  if (server.status === "stopped" && server.desiredState === "running")
    return queued(server, "start");
  const begin = findLastIndex(
    changes,
    (c) => c.from === "created" || (BUSY.has(c.to) && !BUSY.has(c.from)),
  );
  if (begin < 0) {
    const fresh = server.status === "created" && server.desiredState === "running";
    return fresh ? queued(server, "deploy") : null;
  }
  const attempt = changes.slice(begin);
  const first = attempt[0] as StatusChange;
  const last = attempt[attempt.length - 1] as StatusChange;
  const seen = new Set(attempt.map((c) => STEP_OF[c.to]).filter((s) => s !== undefined));
  const kind = kindOf(first.from, seen);

  const planned = plan(server, kind, seen);
  const lines = linesByStep(attempt, systemLines);
  const steps: DeployStep[] = planned.map((id) => ({ id, label: LABELS[id], state: "pending" }));
  const at = (id: StepId) => steps.findIndex((s) => s.id === id);
  const finishBefore = (index: number) => {
    for (const step of steps.slice(0, index)) step.state = "done";
  };

  let outcome: Outcome;
  const current = STEP_OF[last.to];
  if (last.to === "error" || last.to === "crashloop") {
    // The step the server was in when it failed: `from` of the failing change.
    const failedAt = Math.max(0, at(STEP_OF[last.from] ?? "queued"));
    finishBefore(failedAt);
    const failed = steps[failedAt] as DeployStep;
    failed.state = "failed";
    if (last.reason) failed.reason = last.reason;
    outcome = "failed";
  } else if (current === "run") {
    finishBefore(steps.length);
    if (last.to === "unhealthy") {
      outcome = "unhealthy";
      const run = steps[at("run")] as DeployStep;
      if (last.reason) run.reason = last.reason;
    } else outcome = "running";
  } else if (current !== undefined) {
    const index = at(current);
    finishBefore(index);
    (steps[index] as DeployStep).state = "active";
    outcome = "in-progress";
  } else {
    // Stopped (or being stopped) during or after the attempt: what it reached stays done.
    const reached = findLastIndex(attempt, (c) => STEP_OF[c.to] !== undefined);
    const step =
      reached < 0 ? "queued" : (STEP_OF[(attempt[reached] as StatusChange).to] as StepId);
    const index = at(step);
    finishBefore(index);
    (steps[index] as DeployStep).state = step === "run" ? "done" : "cancelled";
    outcome = "stopped";
  }
  for (const step of steps) {
    const detail = detailOf(lines.get(step.id) ?? [], step.reason);
    if (detail) step.detail = detail;
  }
  return { kind, outcome, startedAt: first.time, steps };
}

/** Before the worker has picked the server up: everything ahead, the queue first. */
function queued(server: DeployServer, kind: AttemptKind): DeployProgress {
  const steps = plan(server, kind, new Set()).map(
    (id): DeployStep => ({ id, label: LABELS[id], state: id === "queued" ? "active" : "pending" }),
  );
  return { kind, outcome: "in-progress", startedAt: null, steps };
}

function kindOf(from: ServerStatus, seen: ReadonlySet<StepId>): AttemptKind {
  if (from === "created") return "deploy";
  if (seen.has("install") || seen.has("pull")) return "redeploy";
  return from === "stopped" || from === "error" ? "start" : "restart";
}

/** The steps to show: those reached, plus those the source is expected to need still ahead. */
function plan(server: DeployServer, kind: AttemptKind, seen: ReadonlySet<StepId>): StepId[] {
  const { type } = server.source;
  const fresh = kind === "deploy" || kind === "redeploy";
  const expected: Record<StepId, boolean> = {
    queued: true,
    install: type === "npm" && (fresh || server.resolvedVersion === null),
    pull: type === "image" || (type === "npm" && server.runtime === "docker" && fresh),
    start: true,
    run: true,
  };
  const furthest = Math.max(...ORDER.map((id, i) => (seen.has(id) ? i : 0)));
  return ORDER.filter(
    (id, i) => id === "queued" || seen.has(id) || (expected[id] && i >= furthest),
  );
}

/** The system lines written during each step (a line belongs to the latest change before it). */
function linesByStep(
  attempt: readonly StatusChange[],
  lines: readonly SystemLine[],
): Map<StepId, string[]> {
  const byStep = new Map<StepId, string[]>();
  const start = Date.parse((attempt[0] as StatusChange).time);
  for (const line of lines) {
    const time = Date.parse(line.time);
    if (time < start) continue;
    const change = findLastIndex(attempt, (c) => Date.parse(c.time) <= time);
    const step = STEP_OF[(attempt[change] as StatusChange).to];
    // Once running, the log goes on (session instances, crashes): none of it is a step's detail.
    if (!step || step === "run") continue;
    byStep.set(step, [...(byStep.get(step) ?? []), line.line]);
  }
  return byStep;
}

const ERROR_LINE = /\berror\b|ERR!/i;

/**
 * What to show under a step: its newest line; for the failed one, its first error lines (npm says
 * what went wrong first, then boilerplate), never the lifecycle's echo of the reason shown above.
 */
function detailOf(lines: readonly string[], reason: string | undefined): string | undefined {
  const useful = reason ? lines.filter((l) => !l.includes(reason)) : lines;
  if (reason) {
    const errors = useful.filter((l) => ERROR_LINE.test(l)).slice(0, 2);
    if (errors.length > 0) return errors.join("\n");
  }
  return useful.at(-1);
}

function findLastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i] as T)) return i;
  return -1;
}
