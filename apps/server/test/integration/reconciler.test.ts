import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelsFor } from "../../src/lifecycle/launch-spec.js";
import type { Runtime } from "../../src/runtimes/runtime.js";
import { signUp } from "../support/api-client.js";
import {
  createFixturePackage,
  fixtureProgram,
  testLaunchSpec,
} from "../support/fixture-servers.js";
import { idleServer, waitForStatus } from "../support/servers-api.js";
import {
  dockerRuntime,
  processRuntime,
  skipWithoutBubblewrap,
  skipWithoutDocker,
} from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** An instance carrying our labels for a server id that has no row: what a crash can leave behind. */
async function startOrphan(
  runtime: Runtime,
  serverId: string,
  installationId: string,
): Promise<string> {
  const fixture = await createFixturePackage();
  const spec = await testLaunchSpec(
    fixtureProgram(fixture, ["stdio-echo"]),
    {},
    {
      serverId,
      labels: labelsFor(serverId, 1, installationId),
      limits: { memoryMb: 128, cpus: 0.5, pids: 64 },
    },
  );
  await runtime.start(spec, () => {});
  return spec.instanceId;
}

async function reconcileRemovesOrphans(makeRuntime: (dataDir: string) => Runtime) {
  let runtime: Runtime | undefined;
  const s: TestServer = await startTestServer({
    readiness: { stdioGraceMs: 200 },
    runtimesFor: (dataDir) => {
      runtime = makeRuntime(dataDir);
      return { [runtime.kind]: runtime };
    },
  });
  try {
    const rt = runtime as Runtime;
    const admin = (await signUp(s.client(), "admin@example.com")).client;
    // A real server (process runtime), which must survive the sweep.
    const kept =
      rt.kind === "process" ? await admin.post("/api/servers", idleServer("Keeper")) : undefined;
    if (kept) await waitForStatus(admin, kept.body.id, "running");
    const orphanId = await startOrphan(rt, "srv_doesnotexist000000", s.mcphost.installationId());
    // Another installation's instance on the same host is not ours to remove.
    const foreignId = await startOrphan(rt, "srv_someoneelses00000", "mch-anotherinstall");
    expect((await rt.inspect(orphanId))?.state.state).not.toBe("exited");

    const result = await s.mcphost.reconcileNow();
    expect(result.orphansRemoved).toBe(1);
    expect(await rt.inspect(orphanId)).toBeUndefined();
    expect((await rt.inspect(foreignId))?.state.state).not.toBe("exited");
    await rt.remove(foreignId);
    if (kept) expect((await admin.get(`/api/servers/${kept.body.id}`)).body.status).toBe("running");
  } finally {
    await s.close();
  }
}

describe.skipIf(skipWithoutBubblewrap)(
  `reconciler on the process runtime${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    it(
      "removes instances whose server no longer exists, and leaves real ones",
      () => reconcileRemovesOrphans((dataDir) => processRuntime(dataDir)),
      60_000,
    );
  },
);

describe.skipIf(skipWithoutDocker)(
  `reconciler on Docker${skipWithoutDocker ? ` (${skipWithoutDocker})` : ""}`,
  () => {
    let docker: Awaited<ReturnType<typeof dockerRuntime>>;
    beforeAll(async () => {
      docker = await dockerRuntime();
    });
    afterAll(() => docker?.cleanup());
    it(
      "removes containers whose server no longer exists",
      () => reconcileRemovesOrphans(() => docker.runtime),
      60_000,
    );
  },
);
