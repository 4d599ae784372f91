import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, formatRelative } from "./format";

describe("what the dashboard writes for sizes, durations and times", () => {
  it("sizes read in the largest whole unit", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
  });

  it("latencies below a millisecond read in microseconds, long ones in seconds", () => {
    expect(formatMs(0.42)).toBe("420 µs");
    expect(formatMs(3.25)).toBe("3.3 ms");
    expect(formatMs(2500)).toBe("2.5 s");
    expect(formatMs(null)).toBe("–");
  });

  it("times read relative to now", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatRelative("2026-01-01T11:57:00Z", now)).toMatch(/3 minutes ago/);
    expect(formatRelative(null, now)).toBe("never");
  });
});
