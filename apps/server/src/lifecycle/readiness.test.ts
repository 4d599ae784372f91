import { afterEach, describe, expect, it, vi } from "vitest";
import type { LaunchSpec, Runtime } from "../runtimes/runtime.js";
import { settleWithin, waitUntilReady } from "./readiness.js";

/** A runtime whose one instance is in `state`: readiness asks nothing else of a stdio server. */
const runtimeWith = (state: "running" | "exited") =>
  ({ inspect: async () => ({ state: { state } }) }) as unknown as Runtime;
const stdio = { instanceId: "ins_1", transport: { type: "stdio" } } as LaunchSpec;
const options = { stdioGraceMs: 60_000, httpTimeoutMs: 1000 };

describe("readiness of a stdio server", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is reached as soon as the server answers initialize, without waiting out the grace", async () => {
    vi.useFakeTimers(); // the grace's timer never fires: only the answer can make it ready
    await expect(
      waitUntilReady(runtimeWith("running"), stdio, options, async () => {}),
    ).resolves.toBe("ready");
  });

  it("falls back to the grace for a server that does not answer", async () => {
    vi.useFakeTimers();
    let settled = false;
    const ready = waitUntilReady(runtimeWith("running"), stdio, options, () =>
      Promise.reject(new Error("not MCP on stdio")),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(ready).resolves.toBe("ready");
  });

  it("is not reached by a server that exited, answered or not", async () => {
    await expect(
      waitUntilReady(runtimeWith("exited"), stdio, options, async () => {}),
    ).resolves.toBe("exited");
  });
});

describe("settleWithin (the spare's ping within the grace)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("says succeeded as soon as the work succeeds", async () => {
    vi.useFakeTimers(); // the limit's timer never fires
    await expect(settleWithin(Promise.resolve(), 60_000)).resolves.toBe("succeeded");
  });

  it("says failed at once when the work fails, without waiting out the limit", async () => {
    vi.useFakeTimers();
    await expect(settleWithin(Promise.reject(new Error("ended")), 60_000)).resolves.toBe("failed");
  });

  it("says late once the limit passes, however the work ends later", async () => {
    vi.useFakeTimers();
    let finish: () => void = () => {};
    const outcome = settleWithin(new Promise<void>((r) => (finish = r)), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    finish();
    await expect(outcome).resolves.toBe("late");
  });
});
