import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  createFixturePackage,
  type FixturePackage,
  fixtureProgram,
  type ProbeReport,
  testLaunchSpec,
} from "../../../test/support/fixture-servers.js";
import { DEFAULT_LIMITS, SERVER_ID_LABEL } from "../../domain/servers/server.js";
import { createLogger } from "../../lib/logger.js";
import type { LaunchSpec, LogLine, Runtime } from "../runtime.js";
import { describeRuntimeContract } from "../runtime-contract.js";
import { detectCgroups } from "./cgroup-limits.js";
import { readEnviron, readProcTable } from "./proc-stats.js";
import { createProcessRuntime } from "./process-runtime.js";
import { findBubblewrap } from "./sandbox-args.js";

const bwrapPath = await findBubblewrap(process.env.PATH ?? "");
// In CI the sandbox is part of what is tested: a missing bubblewrap fails instead of skipping.
const mustSandbox = process.env.CI === "true";
const noBwrapReason =
  bwrapPath || mustSandbox ? undefined : "bubblewrap (bwrap) is not installed or cannot sandbox";
const cgroups = await detectCgroups("/sys/fs/cgroup");
const noCgroupReason = typeof cgroups === "string" ? cgroups : undefined;

async function makeRuntime(sandbox: boolean, cgroupRoot?: string) {
  if (sandbox && !bwrapPath) throw new Error("bubblewrap is required here (CI=true) but missing");
  const stateDir = await mkdtemp(join(tmpdir(), "mcphost-process-state-"));
  const runtime = createProcessRuntime({
    stateDir,
    bwrapPath: sandbox ? bwrapPath : null,
    nodePath: process.execPath,
    logger: createLogger({ level: "silent" }),
    cgroupRoot,
  });
  return { runtime, stateDir, cleanup: () => rm(stateDir, { recursive: true, force: true }) };
}

describeRuntimeContract("process (bubblewrap)", () => makeRuntime(true), {
  skipReason: noBwrapReason,
  unsupportedKinds: ["image"],
});

describeRuntimeContract("process (no sandbox)", () => makeRuntime(false), {
  unsupportedKinds: ["image"],
});

describe("process runtime", () => {
  let fixture: FixturePackage;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    fixture = await createFixturePackage();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  afterAll(() => fixture.cleanup());

  async function runtimeFor(sandbox: boolean, cgroupRoot?: string): Promise<Runtime> {
    const made = await makeRuntime(sandbox, cgroupRoot);
    cleanups.push(made.cleanup);
    return made.runtime;
  }

  async function spec(args: string[], more: Partial<LaunchSpec> = {}): Promise<LaunchSpec> {
    const launch = await testLaunchSpec(
      fixtureProgram(fixture, args),
      { "mcphost.managed-by": "mcphost-process-test" },
      more,
    );
    cleanups.push(() => rm(launch.filesDir, { recursive: true, force: true }));
    return launch;
  }

  async function run(runtime: Runtime, launch: LaunchSpec) {
    const lines: LogLine[] = [];
    cleanups.push(() => runtime.remove(launch.instanceId));
    await runtime.start(launch, (line) => lines.push(line));
    const { exitCode } = await runtime.waitForExit(launch.instanceId);
    return { exitCode, lines, info: await runtime.inspect(launch.instanceId) };
  }

  async function probe(runtime: Runtime, launch: LaunchSpec): Promise<ProbeReport> {
    const { lines } = await run(runtime, launch);
    const report = lines.find((l) => l.line.startsWith("PROBE "));
    if (!report) throw new Error(`no probe report in:\n${lines.map((l) => l.line).join("\n")}`);
    return JSON.parse(report.line.slice("PROBE ".length)) as ProbeReport;
  }

  const modes = [
    { name: "sandboxed", sandbox: true, skip: noBwrapReason },
    { name: "unsandboxed", sandbox: false, skip: undefined },
  ];

  describe.skipIf(noCgroupReason)("memory limit (cgroups)", () => {
    test.for(modes)("a server over its memory limit is killed ($name)", async (mode, ctx) => {
      ctx.skip(Boolean(mode.skip), mode.skip);
      const runtime = await runtimeFor(mode.sandbox);
      const limits = { ...DEFAULT_LIMITS, memoryMb: 64 };
      const hungry = await run(runtime, await spec(["eat-memory", "200"], { limits }));
      expect(hungry.exitCode).not.toBe(0);
      expect(hungry.info?.state).toMatchObject({ state: "exited", reason: /out of memory/ });
      expect(hungry.lines.some((l) => l.line === "allocated 200 MiB")).toBe(false);
      // The control: the same program under a roomy limit gets its memory.
      const fed = await run(runtime, await spec(["eat-memory", "200"]));
      expect(fed.exitCode).toBe(0);
    });
  });

  describe.skipIf(noBwrapReason)("sandbox", () => {
    test("drops all capabilities: root inside cannot chown", async () => {
      const report = await probe(await runtimeFor(true), await spec(["probe"]));
      expect(report.chown).not.toBe("ok");
    });

    test("hides host secrets and the control plane's processes", async () => {
      const hidden = ["/etc/shadow", `/proc/${process.pid}/environ`, "/root/.bash_history"];
      const report = await probe(
        await runtimeFor(true),
        await spec(["probe"], { env: { PROBE_PATHS: hidden.join(",") } }),
      );
      expect(report.readable).toEqual(Object.fromEntries(hidden.map((p) => [p, false])));
      expect(report.cwd).toBe("/data");
    });

    test("keeps the server's variables off command lines, which any host user can read", async () => {
      const runtime = await runtimeFor(true);
      const launch = await spec(["stdio-echo"], { env: { API_TOKEN: "sk-very-secret-value" } });
      const lines: LogLine[] = [];
      cleanups.push(() => runtime.remove(launch.instanceId));
      await runtime.start(launch, (line) => lines.push(line));
      const { stdin, stdout } = await runtime.attachStdio(launch.instanceId);
      const reply = new Promise<string>((resolve) =>
        stdout.once("data", (d) => resolve(String(d))),
      );
      stdin.write('{"ping":1}\n');
      expect(await reply).toContain("echo"); // up and serving
      const table = await readProcTable();
      const cmdlines = await Promise.all(
        [...table.keys()].map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")),
      );
      expect(cmdlines.some((c) => c.includes(launch.instanceId) || c.includes("stdio-echo"))).toBe(
        true,
      );
      expect(cmdlines.filter((c) => c.includes("sk-very-secret-value"))).toEqual([]);
    });

    test('network "outbound" reaches the host; "none" cannot connect anywhere', async () => {
      const target = await listen();
      cleanups.push(() => new Promise((resolve) => target.server.close(resolve)));
      const env = { PROBE_CONNECT: `127.0.0.1:${target.port}` };
      const runtime = await runtimeFor(true);
      const outbound = await probe(runtime, await spec(["probe"], { env, network: "outbound" }));
      expect(outbound.connect).toBe("connected");
      const none = await probe(runtime, await spec(["probe"], { env, network: "none" }));
      expect(none.connect).not.toBe("connected");
    });
  });

  test("without usable cgroups servers still run, and both availability and log say so", async () => {
    const notCgroupfs = await mkdtemp(join(tmpdir(), "mcphost-no-cgroups-"));
    cleanups.push(() => rm(notCgroupfs, { recursive: true, force: true }));
    const runtime = await runtimeFor(false, notCgroupfs);
    expect((await runtime.availability()).reason).toMatch(/resource limits are not enforced/);
    const { exitCode, lines } = await run(runtime, await spec(["exit", "0"]));
    expect(exitCode).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ stream: "system", line: expect.stringMatching(/not enforced/) }),
    );
    // Node's heap is still bounded by the memory limit: a greedy Node server fails, a modest one runs.
    const limits = { ...DEFAULT_LIMITS, memoryMb: 64 };
    const greedy = await run(runtime, await spec(["eat-heap", "200"], { limits }));
    expect(greedy.exitCode).not.toBe(0);
    expect(greedy.lines.map((l) => l.line).join("\n")).toMatch(/heap out of memory/i);
    const modest = await run(runtime, await spec(["eat-heap", "5"], { limits }));
    expect(modest.exitCode).toBe(0);
  });

  test.for(modes)("a server cannot pose as another instance ($name)", async (mode, ctx) => {
    ctx.skip(Boolean(mode.skip), mode.skip);
    const runtime = await runtimeFor(mode.sandbox);
    const forged = {
      MCPHOST_INSTANCE_ID: `ins_forged${randomBytes(6).toString("hex")}`,
      MCPHOST_LABELS: JSON.stringify({ [SERVER_ID_LABEL]: "srv_victim" }),
      MCPHOST_LAUNCH: JSON.stringify({
        serverId: "srv_victim",
        transport: { type: "http", port: 1, path: "/mcp" },
        sandboxed: false,
      }),
    };
    const attacker = await spec(["spawn-child", JSON.stringify(forged)]);
    cleanups.push(() => runtime.remove(attacker.instanceId));
    await runtime.start(attacker, () => {});
    await waitForProcessWithEnv("MCPHOST_INSTANCE_ID", forged.MCPHOST_INSTANCE_ID);

    expect(await runtime.list({ [SERVER_ID_LABEL]: "srv_victim" })).toEqual([]);
    expect(await runtime.inspect(forged.MCPHOST_INSTANCE_ID)).toBeUndefined();
    expect(await runtime.list({ [SERVER_ID_LABEL]: attacker.serverId })).toMatchObject([
      { instanceId: attacker.instanceId },
    ]);
  });

  test("a later control plane still reports an instance that exited before it, until removed", async () => {
    const made = await makeRuntime(false);
    cleanups.push(made.cleanup);
    const launch = await spec(["exit", "3"]);
    await run(made.runtime, launch);

    // New runtime objects over the same state folder, like restarted control planes.
    const restarted = () =>
      createProcessRuntime({
        stateDir: made.stateDir,
        bwrapPath: null,
        nodePath: process.execPath,
        logger: createLogger({ level: "silent" }),
      });
    const later = restarted();
    expect(await later.list({ [SERVER_ID_LABEL]: launch.serverId })).toMatchObject([
      { instanceId: launch.instanceId, state: { state: "exited", exitCode: 3 } },
    ]);
    await later.remove(launch.instanceId);
    expect(await later.inspect(launch.instanceId)).toBeUndefined();
    expect(await restarted().inspect(launch.instanceId)).toBeUndefined();
  });

  test("refuses to start an instance id in use, here or by an earlier control plane", async () => {
    const made = await makeRuntime(false);
    cleanups.push(made.cleanup);
    const launch = await spec(["stdio-echo"]);
    cleanups.push(() => made.runtime.remove(launch.instanceId));
    await made.runtime.start(launch, () => {});
    await expect(made.runtime.start(launch, () => {})).rejects.toMatchObject({
      code: "START_FAILED",
      message: expect.stringMatching(/already exists/),
    });
    // A restarted control plane over the same state folder knows it from its record.
    const later = createProcessRuntime({
      stateDir: made.stateDir,
      bwrapPath: null,
      nodePath: process.execPath,
      logger: createLogger({ level: "silent" }),
    });
    await expect(later.start(launch, () => {})).rejects.toMatchObject({ code: "START_FAILED" });
  });

  test("refuses an http server without network", async () => {
    const runtime = await runtimeFor(false);
    const launch = await spec(["http", "1"], {
      transport: { type: "http", port: 1, path: "/mcp" },
      network: "none",
    });
    await expect(runtime.start(launch, () => {})).rejects.toMatchObject({ code: "UNSUPPORTED" });
  });

  test.skipIf(noBwrapReason)(
    "removing a sandboxed instance the moment it started does not crash the control plane",
    async () => {
      // The gateway does this (a spare discarded at once); bwrap may not have read its
      // environment pipe yet, which then resets.
      const runtime = await runtimeFor(true);
      const crashes: unknown[] = [];
      const crashed = (err: unknown) => crashes.push(err);
      process.on("uncaughtException", crashed);
      try {
        for (let i = 0; i < 10; i++) {
          const launch = await spec(["stdio-echo"], { env: { PAYLOAD: "x".repeat(4096) } });
          await runtime.start(launch, () => {});
          await runtime.remove(launch.instanceId);
        }
        // The reset surfaces on a later turn of the event loop; there is nothing to wait for.
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        process.off("uncaughtException", crashed);
      }
      expect(crashes).toEqual([]);
    },
  );

  test.for(modes)(
    "a later control plane finds, stops and removes a running instance ($name)",
    async (mode, ctx) => {
      ctx.skip(Boolean(mode.skip), mode.skip);
      const first = await runtimeFor(mode.sandbox);
      const launch = await spec(["stdio-echo"]);
      cleanups.push(() => first.remove(launch.instanceId));
      await first.start(launch, () => {});

      // A new runtime object knows nothing in memory, like a restarted control plane. Its own
      // state folder, so that only /proc can tell it about the instance.
      const later = await runtimeFor(mode.sandbox);
      const found = await later.list({ [SERVER_ID_LABEL]: launch.serverId });
      expect(found).toMatchObject([
        { instanceId: launch.instanceId, labels: launch.labels, state: { state: "running" } },
      ]);
      expect((await later.stats(launch.instanceId))?.memoryBytes).toBeGreaterThan(0);
      await expect(later.attachStdio(launch.instanceId)).rejects.toMatchObject({
        code: "UNSUPPORTED",
      });
      await later.stop(launch.instanceId, { timeoutMs: 5_000 });
      expect(await later.inspect(launch.instanceId)).toMatchObject({ state: { state: "exited" } });
      await later.remove(launch.instanceId);
      expect(await later.list({ [SERVER_ID_LABEL]: launch.serverId })).toEqual([]);
    },
  );
});

/** Waits until some process on the host was started with `name=value` in its environment. */
async function waitForProcessWithEnv(name: string, value: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const pid of (await readProcTable()).keys()) {
      if ((await readEnviron(pid))?.get(name) === value) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no process with ${name}=${value} within ${timeoutMs} ms`);
}

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.end());
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}
