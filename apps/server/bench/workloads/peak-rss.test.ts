import { describe, expect, it } from "vitest";
import { parseProcStatus, peakRssDuring } from "./peak-rss.js";

describe("peak resident memory", () => {
  it("reads VmRSS and VmHWM in bytes from /proc/<pid>/status", () => {
    const status = "Name:\tnode\nVmPeak:\t  999 kB\nVmHWM:\t   2048 kB\nVmRSS:\t    1024 kB\n";
    expect(parseProcStatus(status)).toEqual({ rssBytes: 1024 * 1024, hwmBytes: 2048 * 1024 });
    expect(() => parseProcStatus("Name:\tkthreadd\n")).toThrow(/VmRSS/);
  });

  it("sees memory that a process held only for a moment, measured from just before", async () => {
    const held: Buffer[] = [];
    const peak = await peakRssDuring(process.pid, async () => {
      // 64 MiB touched (fill makes the pages resident), held for a few samples' time (should
      // the kernel refuse the reset of its peak), then let go before `run` returns.
      for (let i = 0; i < 64; i++) held.push(Buffer.alloc(1024 * 1024, 1));
      await new Promise((r) => setTimeout(r, 60));
      held.length = 0;
      return "done";
    });
    expect(peak.result).toBe("done");
    expect(peak.peakBytes - peak.baselineBytes).toBeGreaterThan(48 * 1024 * 1024);
  });
});
