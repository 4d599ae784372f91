import { describe, expect, it } from "vitest";
import { mayStillExec } from "./instance-scan.js";

describe("reading instances' markers from /proc", () => {
  it("waits out an empty environment only for a process that just started", () => {
    const now = new Date("2026-05-01T10:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    // Start times are known to the second: a fresh spawn may look up to a second old.
    expect(mayStillExec(ago(0), now)).toBe(true);
    expect(mayStillExec(ago(1_999), now)).toBe(true);
    // A PostgreSQL backend that rewrote its environment seconds ago will not fill it in.
    expect(mayStillExec(ago(2_000), now)).toBe(false);
    expect(mayStillExec(ago(600_000), now)).toBe(false);
  });
});
