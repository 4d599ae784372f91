import { readFileSync, writeFileSync } from "node:fs";

/** A process's resident memory as `/proc/<pid>/status` gives it, in bytes. */
export interface ProcMemory {
  /** VmRSS: resident now. */
  rssBytes: number;
  /** VmHWM: the most it has been resident since it started or since its peak was last reset. */
  hwmBytes: number;
}

/** Reads VmRSS and VmHWM (kB in the file) out of the text of `/proc/<pid>/status`. */
export function parseProcStatus(text: string): ProcMemory {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(text);
    if (!match) throw new Error(`no ${field} in /proc/<pid>/status`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kb("VmRSS"), hwmBytes: kb("VmHWM") };
}

export const readProcMemory = (pid: number): ProcMemory =>
  parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));

/**
 * Sets the process's VmHWM back to its current RSS (writing 5 to `/proc/<pid>/clear_refs`,
 * Linux 4.0 and later; allowed for our own children). False when the kernel refused.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** What {@link peakRssDuring} saw. */
export interface PeakRss {
  /** RSS just before `run` began. */
  baselineBytes: number;
  /** The most resident while it ran. */
  peakBytes: number;
  /**
   * `hwm`: the kernel's own peak (VmHWM, reset at the baseline), exact whatever the sampling
   * missed; `sampled`: the largest VmRSS read every `intervalMs` (the reset was refused).
   */
  method: "hwm" | "sampled";
  samples: number;
}

/**
 * The peak resident memory of process `pid` while `run` runs, and its RSS just before. The
 * kernel's VmHWM is reset at the start when it allows it (then the peak is exact: it sees a
 * spike shorter than a sampling period); VmRSS is also read every `intervalMs`, which is all
 * there is when the reset is refused. Timers of this (busy) process fire late, so the sampled
 * peak is a lower bound.
 */
export async function peakRssDuring<T>(
  pid: number,
  run: () => Promise<T>,
  intervalMs = 20,
): Promise<PeakRss & { result: T }> {
  const hwm = resetPeak(pid);
  const baselineBytes = readProcMemory(pid).rssBytes;
  let sampled = baselineBytes;
  let samples = 1;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, readProcMemory(pid).rssBytes);
    samples++;
  }, intervalMs);
  let result: T;
  try {
    result = await run();
  } finally {
    clearInterval(timer);
  }
  const end = readProcMemory(pid);
  sampled = Math.max(sampled, end.rssBytes);
  return {
    baselineBytes,
    peakBytes: hwm ? Math.max(end.hwmBytes, sampled) : sampled,
    method: hwm ? "hwm" : "sampled",
    samples,
    result,
  };
}
