import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFixturePackage,
  type FixturePackage,
  fixtureProgram,
  testLaunchSpec,
} from "../../test/support/fixture-servers.js";
import type { Server } from "../domain/servers/server.js";
import { createLogger } from "../lib/logger.js";
import { createProcessRuntime } from "../runtimes/process/process-runtime.js";
import type { Runtime } from "../runtimes/runtime.js";
import { createUpstreamPool } from "./upstream-pool.js";

describe("the pool of session instances", () => {
  let fixture: FixturePackage;
  let stateDir: string;
  let runtime: Runtime;

  beforeAll(async () => {
    fixture = await createFixturePackage();
    stateDir = await mkdtemp(join(tmpdir(), "mcphost-pool-"));
    runtime = createProcessRuntime({
      stateDir,
      bwrapPath: null,
      nodePath: process.execPath,
      logger: createLogger({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await fixture.cleanup();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** A pool whose instances are real processes of the fixture's stdio echo server. */
  function poolOf(state: { generation: number }) {
    const started: string[] = [];
    const calls = { starts: 0 };
    const pool = createUpstreamPool({
      instances: {
        async start() {
          calls.starts++; // counted when asked: the pool starts spares in the background
          const spec = await testLaunchSpec(fixtureProgram(fixture, ["stdio-echo"]), {});
          await runtime.start(spec, () => {});
          started.push(spec.instanceId);
          return { instanceId: spec.instanceId, runtime, generation: state.generation };
        },
      },
      store: { servers: { findRuntimeState: async () => ({ ...runtimeState, ...state }) } },
      logger: createLogger({ level: "silent" }),
    });
    return { pool, started, calls };
  }
  const server = { id: "srv_pooltest" } as Server;
  const alive = async (instanceId: string) =>
    (await runtime.inspect(instanceId))?.state.state === "running";

  it("keeps a current spare, and replaces one a restart made stale", async () => {
    const state = { generation: 1 };
    const { pool, started, calls } = poolOf(state);
    try {
      await pool.refresh(server); // none yet: starts one
      await pool.refresh(server); // current: kept
      expect(calls.starts).toBe(1);
      const first = await takeSpare(pool);
      expect(first).toBe(started[0]);
      expect(calls.starts).toBe(2); // the next spare

      state.generation = 2; // a restart
      await pool.refresh(server);
      expect(calls.starts).toBe(3);
      expect(await alive(started[1] as string)).toBe(false);
      expect(await takeSpare(pool)).toBe(started[2]);
    } finally {
      await pool.stop();
      for (const id of started) await runtime.remove(id);
    }
  });
});

const runtimeState = {
  deployGeneration: 1,
  deployedGeneration: 1,
  currentInstanceId: null,
  restartCount: 0,
  restartWindowStart: null,
  runningSince: null,
};

/** Takes the spare for a session and ends that session at once; returns the instance it used. */
async function takeSpare(pool: ReturnType<typeof createUpstreamPool>): Promise<string> {
  const taken = await pool.take({ id: "srv_pooltest" } as Server);
  await taken.transport.close();
  return taken.instanceId;
}
