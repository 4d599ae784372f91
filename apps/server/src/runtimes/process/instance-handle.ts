import type { ChildProcess } from "node:child_process";
import type { ServerTransport } from "../../domain/servers/server.js";
import type { InstanceInfo, LogSink } from "../runtime.js";
import type { InstanceCgroup } from "./cgroup-limits.js";
import type { InstanceRecord } from "./instance-records.js";
import type { ScannedInstance } from "./instance-scan.js";
import { forwardLines } from "./output-lines.js";
import { createCpuMeter, readProcEntry, startTimeOf } from "./proc-stats.js";

/** How an instance ended, as reported by `inspect`. */
export interface ExitInfo {
  exitCode: number | null;
  reason?: string | undefined;
}

/** How the process ended, before interpretation (null/null: found-by-scan, status unknown). */
export interface RawExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One instance as this control plane knows it: started here, adopted from /proc, or a record. */
export interface InstanceHandle {
  /** Started by this process, adopted from /proc, or known only from its record (exited). */
  source: "started" | "adopted" | "record";
  instanceId: string;
  serverId: string;
  labels: Record<string, string>;
  transport: ServerTransport;
  sandboxed: boolean;
  pid: number;
  startedAt: Date;
  /** Only for instances this process started: its pipes. */
  child?: ChildProcess | undefined;
  stdioAttached: boolean;
  cgroup?: InstanceCgroup | undefined;
  /** True once the process is gone: its pid may be reused, so it must not be signalled. */
  gone: boolean;
  /** Set when the instance has exited and its exit was handled. */
  exit?: ExitInfo | undefined;
  exited: Promise<ExitInfo>;
  cpuPercent: (ticks: number, now: Date) => number;
}

export type FinishExit = (handle: InstanceHandle, raw: RawExit) => Promise<ExitInfo>;

/** Follows a child this process spawned: output to the sink, exit through `finish`. */
export function followChild(
  base: Omit<InstanceHandle, "source" | "gone" | "exited" | "cpuPercent" | "stdioAttached" | "pid">,
  child: ChildProcess & { pid: number },
  sink: LogSink,
  finish: FinishExit,
): InstanceHandle {
  const outputs = [forwardLines(child.stderr as NonNullable<typeof child.stderr>, "stderr", sink)];
  // For stdio transport stdout is the MCP channel: it belongs to attachStdio, never to the sink.
  if (base.transport.type !== "stdio" && child.stdout) {
    outputs.push(forwardLines(child.stdout, "stdout", sink));
  }
  const raw = new Promise<RawExit>((resolve) => {
    child.once("exit", (code, signal) => {
      handle.gone = true;
      resolve({ code, signal });
    });
  });
  const handle: InstanceHandle = {
    ...base,
    source: "started",
    pid: child.pid,
    gone: false,
    stdioAttached: false,
    cpuPercent: createCpuMeter(base.startedAt),
    exited: raw.then(async (exit) => {
      // Deliver the last lines before reporting the exit, but do not wait for descendants that
      // keep the pipes open after the main process is gone.
      await Promise.race([Promise.all(outputs), delay(2_000)]);
      handle.exit = await finish(handle, exit);
      return handle.exit;
    }),
  };
  return handle;
}

/** An instance found in /proc that an earlier control-plane process started. */
export async function adoptScanned(
  scanned: ScannedInstance,
  cgroup: InstanceCgroup | undefined,
  finish: FinishExit,
): Promise<InstanceHandle> {
  const startedAt = await startTimeOf(scanned.process);
  const handle: InstanceHandle = {
    source: "adopted",
    instanceId: scanned.instanceId,
    serverId: scanned.facts.serverId,
    labels: scanned.labels,
    transport: scanned.facts.transport,
    sandboxed: scanned.facts.sandboxed,
    pid: scanned.process.pid,
    startedAt,
    stdioAttached: false,
    cgroup,
    gone: false,
    cpuPercent: createCpuMeter(startedAt),
    // Not our child, so no exit event: poll until the pid is gone or belongs to someone else.
    exited: waitUntilGone(scanned.process.pid, scanned.process.startTicks).then(async () => {
      handle.gone = true;
      handle.exit = await finish(handle, { code: null, signal: null });
      return handle.exit;
    }),
  };
  return handle;
}

/** An instance that exited while no control plane was watching; only its record remains. */
export function fromRecord(record: InstanceRecord): InstanceHandle {
  const exit = record.exit ?? {
    exitCode: null,
    reason: "exited while no control plane was running",
  };
  return {
    source: "record",
    instanceId: record.instanceId,
    serverId: record.serverId,
    labels: record.labels,
    transport: record.transport,
    sandboxed: record.sandboxed,
    pid: 0,
    startedAt: new Date(record.startedAt),
    stdioAttached: false,
    gone: true,
    exit,
    exited: Promise.resolve(exit),
    cpuPercent: () => 0,
  };
}

/** What an exit means for the user: the code, and why when it was not the program's choice. */
export function interpretExit(raw: RawExit, oomKilled: boolean): ExitInfo {
  const unknown = raw.code === null && raw.signal === null;
  return {
    exitCode: raw.signal ? null : raw.code,
    reason: oomKilled
      ? "killed: out of memory (the memory limit was reached)"
      : raw.signal
        ? `killed by ${raw.signal}`
        : unknown
          ? "exit status unknown: started by an earlier control-plane process"
          : undefined,
  };
}

/** The record kept in the state folder for this instance (see instance-records.ts). */
export function recordOf(handle: InstanceHandle, exit?: ExitInfo): InstanceRecord {
  return {
    instanceId: handle.instanceId,
    serverId: handle.serverId,
    labels: handle.labels,
    transport: handle.transport,
    sandboxed: handle.sandboxed,
    startedAt: handle.startedAt.toISOString(),
    exit,
  };
}

export function describeHandle(handle: InstanceHandle): InstanceInfo {
  return {
    instanceId: handle.instanceId,
    serverId: handle.serverId,
    labels: handle.labels,
    state: handle.exit
      ? { state: "exited", exitCode: handle.exit.exitCode, reason: handle.exit.reason }
      : { state: "running", startedAt: handle.startedAt },
  };
}

async function waitUntilGone(pid: number, startTicks: number): Promise<void> {
  for (;;) {
    const entry = await readProcEntry(pid);
    if (!entry || entry.state === "Z" || entry.startTicks !== startTicks) return;
    await delay(250, true);
  }
}

export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), delay(ms).then(() => false)]);
}

export function delay(ms: number, unref = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (unref) timer.unref();
  });
}
