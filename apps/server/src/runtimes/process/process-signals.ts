import { processTree, readProcTable } from "./proc-stats.js";

/**
 * Signalling an instance's processes, whether this control plane started them or found them.
 *
 * Sandboxed, the tree is `bwrap` (spawned by us) -> `bwrap` (the sandbox's pid 1) -> the program.
 * bwrap does not forward signals, and killing the outer bwrap SIGKILLs the sandbox at once
 * (--die-with-parent), so a polite stop signals the program's processes directly: every process
 * of the tree that is not bwrap. Unsandboxed, the program leads its own process group (spawned
 * detached), so the group is signalled, as a terminal would.
 */

export interface InstanceProcess {
  pid: number;
  sandboxed: boolean;
}

/** Asks the instance to stop. Returns false when nothing was left to signal. */
export async function askToStop(instance: InstanceProcess): Promise<boolean> {
  if (!instance.sandboxed) return signalGroup(instance.pid, "SIGTERM");
  const tree = processTree(await readProcTable(), instance.pid);
  const program = tree.filter((p) => p.comm !== "bwrap");
  // Nothing but bwrap yet (still setting up the sandbox): ending bwrap ends the sandbox.
  const targets = program.length > 0 ? program : tree.slice(0, 1);
  return targets.map((p) => signal(p.pid, "SIGTERM")).some(Boolean);
}

/**
 * Kills the instance and everything it started: its process tree, its process group and any
 * `extraPids` (the members of its cgroup, which include descendants that escaped the tree).
 */
export async function killAll(instance: InstanceProcess, extraPids: number[] = []): Promise<void> {
  const tree = processTree(await readProcTable(), instance.pid);
  if (!instance.sandboxed) signalGroup(instance.pid, "SIGKILL");
  for (const pid of new Set([...tree.map((p) => p.pid), ...extraPids])) signal(pid, "SIGKILL");
}

/**
 * After the main process is gone, kills what it left behind: its cgroup's members and, unsandboxed,
 * its process group. Never the pid itself, which the kernel may already have given to another
 * process (a group id is not reused while the group has members).
 */
export function killLeftovers(instance: InstanceProcess, cgroupPids: number[] = []): void {
  if (!instance.sandboxed) signal(-instance.pid, "SIGKILL");
  for (const pid of cgroupPids) signal(pid, "SIGKILL");
}

function signalGroup(pid: number, name: NodeJS.Signals): boolean {
  // A negative pid addresses the process group; fall back to the process if it left the group.
  return signal(-pid, name) || signal(pid, name);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  // 0, 1 and -1 mean "my group", init and "everyone": never what an instance's pid should be.
  if (Math.abs(pid) <= 1) return false;
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // Already gone (ESRCH): nothing to do.
  }
}
