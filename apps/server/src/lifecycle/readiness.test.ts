import { afterEach, describe, expect, it, vi } from "vitest";
import type { LaunchSpec, Runtime } from "../runtimes/runtime.js";
import { waitUntilReady } from "./readiness.js";

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
