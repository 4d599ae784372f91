import { describe, expect, it } from "vitest";
import { reapPeriodMs } from "./gateway-background.js";

describe("how often idle MCP sessions are reaped", () => {
  it("looks four times per idle timeout, so a session goes at most 1.25 timeouts after its last use", () => {
    expect(reapPeriodMs(10_000)).toBe(2_500);
    expect(reapPeriodMs(60_000)).toBe(15_000);
  });

  it("never more often than every second, nor less often than every 30 s", () => {
    expect(reapPeriodMs(2_000)).toBe(1_000);
    expect(reapPeriodMs(600_000)).toBe(30_000);
  });
});
