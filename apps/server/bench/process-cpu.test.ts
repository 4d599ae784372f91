import { describe, expect, it } from "vitest";
import { parseProcStatCpuMs, processCpuMs } from "./process-cpu.js";

describe("process CPU time", () => {
  it("reads utime + stime, counting fields after the command name", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const stat = "4242 (node (a) b) R 1 4242 4242 0 -1 4194304 900 0 0 0 250 37 0 0 20 0 11 0";
    expect(parseProcStatCpuMs(stat)).toBe(2870);
  });

  it("reads this process's, and grows as it works", () => {
    const before = processCpuMs(process.pid);
    if (before === undefined) return; // no /proc here
    // Busy until a tick (10 ms of CPU) is counted; a loaded machine may take longer in wall time.
    const deadline = Date.now() + 5000;
    let after = before;
    while (after === before && Date.now() < deadline) after = processCpuMs(process.pid) as number;
    expect(after).toBeGreaterThan(before);
  });

  it("is undefined for no process", () => {
    expect(processCpuMs(undefined)).toBeUndefined();
  });
});
