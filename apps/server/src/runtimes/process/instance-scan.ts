import type { ServerTransport } from "../../domain/servers/server.js";
import type { LaunchSpec } from "../runtime.js";
import {
  type ProcEntry,
  type ProcTable,
  readEnviron,
  readProcTable,
  startTimeOf,
} from "./proc-stats.js";

/**
 * Instances are found by labels, not by memory: the spawned process (bwrap, or the unsandboxed
 * program) carries its instance id, labels and launch facts in its own environment, and `list`
 * reads them back from /proc/<pid>/environ. That finds instances started by an earlier
 * control-plane process too. Inside the sandbox bwrap's --clearenv hides them from the server.
 */

export const INSTANCE_ID_VAR = "MCPHOST_INSTANCE_ID";
export const LABELS_VAR = "MCPHOST_LABELS";
export const LAUNCH_VAR = "MCPHOST_LAUNCH";

/** What a later process needs to operate an instance it did not start. */
export interface LaunchFacts {
  serverId: string;
  transport: ServerTransport;
  sandboxed: boolean;
}

export function instanceMarkers(spec: LaunchSpec, sandboxed: boolean): Record<string, string> {
  const facts: LaunchFacts = { serverId: spec.serverId, transport: spec.transport, sandboxed };
  return {
    [INSTANCE_ID_VAR]: spec.instanceId,
    [LABELS_VAR]: JSON.stringify(spec.labels),
    [LAUNCH_VAR]: JSON.stringify(facts),
  };
}

export interface ScannedInstance {
  instanceId: string;
  labels: Record<string, string>;
  facts: LaunchFacts;
  /** The outermost process carrying the markers (bwrap, or the program unsandboxed). */
  process: ProcEntry;
}

/** Every live instance on this host, from the markers in /proc/<pid>/environ. */
export async function scanInstances(table?: ProcTable): Promise<ScannedInstance[]> {
  const processes = table ?? (await readProcTable());
  const marked = new Map<number, { entry: ProcEntry; env: Map<string, string> }>();
  await Promise.all(
    [...processes.values()].map(async (entry) => {
      // Zombies have no environment left; kernel threads (children of kthreadd, pid 2) never had one.
      if (entry.state === "Z" || entry.pid === 2 || entry.ppid === 2) return;
      const env = await readSettledEnviron(entry);
      if (env?.has(INSTANCE_ID_VAR)) marked.set(entry.pid, { entry, env });
    }),
  );

  const found = new Map<string, ScannedInstance>();
  for (const { entry, env } of marked.values()) {
    // Only the outermost marked process is an instance. That skips children that inherit the
    // markers (bwrap's forked init, an unsandboxed server's subprocesses), and it stops a server
    // from posing as another instance by starting a child with forged markers: that child is
    // inside the server's own tree, so it is ignored.
    if (hasMarkedAncestor(entry, processes, marked)) continue;
    const instanceId = env.get(INSTANCE_ID_VAR) as string;
    const previous = found.get(instanceId);
    if (previous && previous.process.startTicks <= entry.startTicks) continue;
    const parsed = parseMarkers(env);
    if (parsed) found.set(instanceId, { instanceId, ...parsed, process: entry });
  }
  return [...found.values()];
}

/**
 * /proc/<pid>/environ reads as empty while the process is in the middle of an exec (the cgroup
 * wrapper exec-ing bwrap, bwrap exec-ing the server): try again briefly before believing it.
 * Only for a process that just started, as instances exec right after their spawn: processes
 * that rewrite their environment area for their title (PostgreSQL's backends, for one) read as
 * empty for good, and re-reading each of them cost every scan 50 ms.
 */
async function readSettledEnviron(entry: ProcEntry): Promise<Map<string, string> | undefined> {
  for (let attempt = 0; ; attempt++) {
    const env = await readEnviron(entry.pid);
    if (env?.size !== 0 || attempt === 5) return env;
    if (attempt === 0 && !mayStillExec(await startTimeOf(entry), new Date())) return env;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Whether a process started at `startedAt` may still be on its way to an instance's exec. The
 * start time comes from the boot time, which /proc gives in whole seconds (a fresh process may
 * look up to a second old): hence the margin. The retries cover 50 ms, so nothing older was
 * ever caught by them.
 */
export function mayStillExec(startedAt: Date, now: Date): boolean {
  return now.getTime() - startedAt.getTime() < 2_000;
}

function hasMarkedAncestor(entry: ProcEntry, table: ProcTable, marked: Map<number, unknown>) {
  let parent = table.get(entry.ppid);
  // Bounded walk: the table is a snapshot read in parallel, so be safe against odd ppid chains.
  for (let depth = 0; parent && depth < 4096; depth++) {
    if (marked.has(parent.pid)) return true;
    parent = table.get(parent.ppid);
  }
  return false;
}

function parseMarkers(
  env: Map<string, string>,
): { labels: Record<string, string>; facts: LaunchFacts } | undefined {
  try {
    const labels = JSON.parse(env.get(LABELS_VAR) ?? "{}") as Record<string, string>;
    const facts = JSON.parse(env.get(LAUNCH_VAR) ?? "null") as LaunchFacts | null;
    return facts ? { labels, facts } : undefined;
  } catch {
    return undefined; // Someone else's variable of the same name: not ours.
  }
}

export function hasLabels(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}
