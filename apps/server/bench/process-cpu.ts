import { readFileSync } from "node:fs";
import { ticksToMs } from "../src/runtimes/process/proc-stats.js";

/**
 * CPU time (user + system) a process has used, in milliseconds, from the text of
 * `/proc/<pid>/stat`. The command name (field 2) may hold spaces and parentheses, so the fields
 * are counted from the last `)`: utime and stime are fields 14 and 15.
 */
export function parseProcStatCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!(Number.isFinite(utime) && Number.isFinite(stime)))
    throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 120)}`);
  return ticksToMs(utime + stime);
}

/**
 * CPU milliseconds process `pid` has used so far (10 ms resolution), or undefined where there is
 * no `/proc` (not Linux). Unlike wall time, a process's CPU per request hardly changes when other
 * processes compete for the cores: it is the steadier figure on a shared machine.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return parseProcStatCpuMs(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}
