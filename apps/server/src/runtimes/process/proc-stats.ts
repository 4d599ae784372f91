import { readdir, readFile } from "node:fs/promises";

/**
 * Reading the host's process table from /proc. Linux only; every reader tolerates processes that
 * vanish between listing and reading (they simply drop out).
 */

/** Clock ticks per second for /proc/<pid>/stat times. 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcEntry {
  pid: number;
  ppid: number;
  /** The executable's short name (`comm`), e.g. "node" or "bwrap". */
  comm: string;
  /** One-letter state; "Z" is a zombie that has exited but was not reaped yet. */
  state: string;
  /** User + system CPU time, in clock ticks. */
  cpuTicks: number;
  /** Start time, in clock ticks after boot: with the pid, identifies a process across pid reuse. */
  startTicks: number;
}

export type ProcTable = Map<number, ProcEntry>;

export async function readProcTable(): Promise<ProcTable> {
  const table: ProcTable = new Map();
  const names = await readdir("/proc");
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const entry = await readProcEntry(Number(name));
        if (entry) table.set(entry.pid, entry);
      }),
  );
  return table;
}

export async function readProcEntry(pid: number): Promise<ProcEntry | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (!text) return undefined;
  // `comm` is in parentheses and may itself contain spaces or parentheses: cut at the last ")".
  const close = text.lastIndexOf(")");
  const fields = text.slice(close + 2).split(" ");
  // fields[0] is field 3 of proc(5) ("state"), so field n sits at index n - 3.
  return {
    pid,
    comm: text.slice(text.indexOf("(") + 1, close),
    state: fields[0] ?? "?",
    ppid: Number(fields[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    startTicks: Number(fields[19]),
  };
}

/** `rootPid` and every process below it, parents before children. */
export function processTree(table: ProcTable, rootPid: number): ProcEntry[] {
  const root = table.get(rootPid);
  if (!root) return [];
  const children = new Map<number, ProcEntry[]>();
  for (const entry of table.values()) {
    const siblings = children.get(entry.ppid) ?? [];
    siblings.push(entry);
    children.set(entry.ppid, siblings);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...(children.get((tree[i] as ProcEntry).pid) ?? []));
  }
  return tree;
}

/** The initial environment of a process (what it was started with), or undefined if unreadable. */
export async function readEnviron(pid: number): Promise<Map<string, string> | undefined> {
  const raw = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => undefined);
  if (raw === undefined) return undefined;
  const env = new Map<string, string>();
  for (const pair of raw.split("\0")) {
    const eq = pair.indexOf("=");
    if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return env;
}

/** Resident memory of one process in bytes (0 when it is gone). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib ? Number(kib) * 1024 : 0;
}

/** CPU ticks and resident memory of a process and its descendants; undefined when it is gone. */
export async function treeUsage(
  rootPid: number,
): Promise<{ cpuTicks: number; residentBytes: () => Promise<number> } | undefined> {
  const tree = processTree(await readProcTable(), rootPid);
  if (tree.length === 0) return undefined;
  return {
    cpuTicks: tree.reduce((sum, p) => sum + p.cpuTicks, 0),
    // Lazy: callers with a cgroup's memory figure skip reading every status file.
    residentBytes: async () =>
      (await Promise.all(tree.map((p) => residentBytes(p.pid)))).reduce((a, b) => a + b, 0),
  };
}

export function ticksToMs(ticks: number): number {
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

let bootTimeMs: Promise<number> | undefined;

/** When a process started, from its start ticks and the boot time in /proc/stat. */
export async function startTimeOf(entry: ProcEntry): Promise<Date> {
  bootTimeMs ??= readFile("/proc/stat", "utf8").then(
    (text) => Number(/^btime (\d+)/m.exec(text)?.[1] ?? 0) * 1000,
  );
  return new Date((await bootTimeMs) + ticksToMs(entry.startTicks));
}

/**
 * CPU use of a process tree as a percentage of one core since the previous sample. Keeps the
 * previous sample; the first call measures from the tree's start time.
 */
export function createCpuMeter(startedAt: Date) {
  let previous = { ticks: 0, at: startedAt.getTime() };
  return (ticks: number, now: Date): number => {
    const elapsedMs = now.getTime() - previous.at;
    const busyMs = ticksToMs(Math.max(0, ticks - previous.ticks));
    previous = { ticks, at: now.getTime() };
    return elapsedMs > 0 ? Math.round((busyMs / elapsedMs) * 1000) / 10 : 0;
  };
}
