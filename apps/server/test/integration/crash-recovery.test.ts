import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { eventsOf, IDLE_SOURCE, waitForStatus } from "../support/servers-api.js";
import { processRuntime, skipWithoutBubblewrap } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** Waits until the server has recorded `n` restarts, returning them. */
async function restarts(client: ApiClient, id: string, n: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const events = await eventsOf(client, id, "restart");
    if (events.length >= n) return events;
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${n} restarts happened`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skipWithoutBubblewrap)(
  `crash recovery${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    const clock = new ManualClock();
    let s: TestServer;
    let admin: ApiClient;

    beforeAll(async () => {
      s = await startTestServer({
        clock,
        readiness: { stdioGraceMs: 300 },
        runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
      });
      admin = (await signUp(s.client(), "admin@example.com")).client;
    }, 60_000);
    afterAll(() => s?.close());

    it("restarts a server that exits at once with growing delays, calls it crashloop, and recovers once fixed", async () => {
      const created = await admin.post("/api/servers", {
        name: "Crasher",
        source: { type: "command", command: process.execPath, args: ["-e", "process.exit(3)"] },
        transport: "stdio",
        // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
        sessionMode: "shared",
        runtime: "process",
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;

      // Each crash schedules the next start; time only moves when the test moves it.
      const delays: number[] = [];
      for (let n = 1; n <= 5; n++) {
        const events = await restarts(admin, id, n);
        const last = events.at(-1);
        expect(last.details.restartCount).toBe(n);
        delays.push(last.details.restartInMs);
        if (n < 5) clock.advance(last.details.restartInMs);
      }
      expect(delays).toEqual([1000, 2000, 4000, 8000, 16000]);
      const looping = await waitForStatus(admin, id, "crashloop");
      expect(looping.statusReason).toMatch(/exited with code 3/);
      const crashes = await eventsOf(admin, id, "crash");
      expect(crashes.map((e) => e.details.exitCode)).toEqual([3, 3, 3, 3, 3]);

      // Nothing happens before the backoff elapses.
      await new Promise((r) => setTimeout(r, 500));
      expect((await eventsOf(admin, id, "restart")).length).toBe(5);

      // The fix lands; the next backoff starts the fixed server, which stays up.
      const fixed = await admin.patch(`/api/servers/${id}`, {
        source: IDLE_SOURCE,
      });
      expect(fixed.body.redeployNeeded).toBe(true);
      clock.advance(16_000);
      const running = await waitForStatus(admin, id, "running", 20_000);
      expect(running.statusReason).toBeNull();
      await new Promise((r) => setTimeout(r, 500));
      expect((await eventsOf(admin, id, "crash")).length).toBe(5);

      await admin.delete(`/api/servers/${id}`);
    }, 120_000);
  },
);
