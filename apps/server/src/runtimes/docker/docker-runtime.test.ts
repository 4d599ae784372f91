import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ensureTestImageWithEntrypoint,
  ensureTestNodeImage,
} from "../../../test/support/docker-images.js";
import {
  createFixturePackage,
  type FixturePackage,
  fixtureProgram,
  type ProbeReport,
  testLaunchSpec,
} from "../../../test/support/fixture-servers.js";
import { DEFAULT_LIMITS, SERVER_ID_LABEL } from "../../domain/servers/server.js";
import { createLogger } from "../../lib/logger.js";
import type { LaunchSpec, LogLine, Program, Runtime } from "../runtime.js";
import { describeRuntimeContract } from "../runtime-contract.js";
import { createDockerClient } from "./docker-client.js";
import { createDockerRuntime } from "./docker-runtime.js";

/**
 * Against the real engine. Skipped, with the reason, when Docker is not reachable outside CI;
 * under CI=true the tests run (and fail) instead. Images are built locally (no registry).
 */

const TEST_LABEL = "mcphost.test";
const logger = createLogger({ level: "silent" });
const networkName = `mcphost-test-${randomBytes(3).toString("hex")}`;
// Tests honour DOCKER_HOST (e.g. rootless Docker in CI), as dockerode does in docker-images.ts.
const dockerHost = process.env.DOCKER_HOST;
const raw = new Dockerode();

function newRuntime(nodeImage: string): Runtime {
  const docker = createDockerClient({ host: dockerHost });
  return createDockerRuntime({ docker, nodeImage, networkName, logger });
}

const skipReason = await (async () => {
  const availability = await newRuntime("unused").availability();
  if (availability.available || process.env.CI === "true") return undefined;
  return `Docker tests skipped (set CI=true to make this a failure): ${availability.reason}`;
})();
if (skipReason) console.warn(skipReason);

afterAll(async () => {
  if (skipReason) return;
  const leftovers = await raw.listContainers({
    all: true,
    filters: { label: [`${TEST_LABEL}=1`] },
  });
  await Promise.all(leftovers.map((c) => raw.getContainer(c.Id).remove({ force: true, v: true })));
  for (const name of [networkName, `${networkName}-internal`, `${networkName}-prune`]) {
    await raw
      .getNetwork(name)
      .remove()
      .catch(() => {});
  }
});

describeRuntimeContract(
  "docker",
  async () => {
    const runtime = newRuntime(await ensureTestNodeImage());
    // Every container this suite makes carries the test label, so afterAll finds leftovers.
    const labelled: Runtime = {
      ...runtime,
      start: (spec, sink) =>
        runtime.start({ ...spec, labels: { ...spec.labels, [TEST_LABEL]: "1" } }, sink),
    };
    return { runtime: labelled, cleanup: async () => {} };
  },
  { skipReason, unsupportedKinds: ["host-command"] },
);

describe.skipIf(skipReason)("docker runtime on a real engine", () => {
  let nodeImage: string;
  let appImage: string;
  let fixture: FixturePackage;
  let runtime: Runtime;
  const dirs: string[] = [];

  beforeAll(async () => {
    [nodeImage, appImage] = await Promise.all([
      ensureTestNodeImage(),
      ensureTestImageWithEntrypoint(),
    ]);
    fixture = await createFixturePackage();
    runtime = newRuntime(nodeImage);
  });

  afterAll(async () => {
    await fixture?.cleanup();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function newSpec(program: Program, more: Partial<LaunchSpec> = {}): Promise<LaunchSpec> {
    const spec = await testLaunchSpec(program, { [TEST_LABEL]: "1" }, more);
    dirs.push(spec.filesDir);
    return spec;
  }

  const fixtureSpec = (args: string[], more: Partial<LaunchSpec> = {}) =>
    newSpec(fixtureProgram(fixture, args), more);

  test("the container is hardened, as docker inspect shows", async () => {
    const spec = await fixtureSpec(["probe"], {
      env: { ONLY_THIS: "1" },
      limits: { memoryMb: 128, cpus: 0.5, pids: 64 },
      network: "outbound",
    });
    const logs = collect();
    await runtime.start(spec, logs.sink);
    const report = JSON.parse(
      (await logs.waitFor((l) => l.line.startsWith("PROBE "))).line.slice(6),
    ) as ProbeReport;
    const info = await raw.getContainer(`mcphost-${spec.instanceId}`).inspect();
    const host = info.HostConfig;

    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toContain("no-new-privileges");
    expect(host.Privileged).toBe(false);
    expect(host.NetworkMode).toBe(networkName);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([networkName]);
    expect(host.PortBindings ?? {}).toEqual({});
    expect(host.PublishAllPorts).toBe(false);
    expect(info.NetworkSettings.Ports ?? {}).toEqual({});
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Tmpfs).toHaveProperty("/tmp");
    expect(host.Memory).toBe(128 * 1024 * 1024);
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.PidsLimit).toBe(64);
    expect(info.Config.User).toBe(`${process.getuid?.()}:${process.getgid?.()}`);
    expect(info.Config.Labels).toMatchObject({
      ...spec.labels,
      "mcphost.instance-id": spec.instanceId,
    });
    const mounts = info.Mounts.map((m) => ({ source: m.Source, target: m.Destination, rw: m.RW }));
    expect(mounts).toEqual(
      expect.arrayContaining([
        { source: spec.filesDir, target: "/data", rw: true },
        { source: fixture.packageDir, target: "/opt/mcphost/package", rw: false },
      ]),
    );
    expect(mounts).toHaveLength(2);
    expect(JSON.stringify(info.Mounts)).not.toContain("docker.sock");
    // Inside: no capabilities (chown refused even as root), /data as working folder, own env only.
    expect(report.chown).not.toBe("ok");
    expect(report.cwd).toBe("/data");
    expect(report.envKeys).toContain("ONLY_THIS");
    expect(report.envKeys.filter((k) => !["PATH", "HOSTNAME", "HOME"].includes(k))).toEqual([
      "ONLY_THIS",
    ]);
  });

  test("an image program runs its own CMD; an overridden command replaces it", async () => {
    const spec = await newSpec({ kind: "image", image: appImage });
    const prepared = collect();
    await runtime.prepare(spec, prepared.sink);
    expect(prepared.lines).toEqual([]); // present locally: nothing pulled
    const logs = collect();
    await runtime.start(spec, logs.sink);
    const { stdin, stdout } = await runtime.attachStdio(spec.instanceId);
    const reply = firstLine(stdout);
    stdin.write("hello image\n");
    expect(await reply).toBe("hello image");
    await logs.waitFor((l) => l.stream === "stderr" && l.line === "echo ready");
    stdout.destroy();

    const override = await newSpec({
      kind: "image",
      image: appImage,
      command: ["node", "-e"],
      args: ["console.error('overridden'); require('fs').writeFileSync('/data/x', 'y')"],
    });
    const overrideLogs = collect();
    await runtime.start(override, overrideLogs.sink);
    expect(await runtime.waitForExit(override.instanceId)).toEqual({ exitCode: 0 });
    await overrideLogs.waitFor((l) => l.line === "overridden");
    expect(await readFile(join(override.filesDir, "x"), "utf8")).toBe("y");
  });

  test("a missing image fails fast with IMAGE_UNAVAILABLE and a readable reason", async () => {
    const spec = await newSpec({ kind: "image", image: "mcphost-test-missing:nope" });
    const logs = collect();
    const began = Date.now();
    const error = await runtime.prepare(spec, logs.sink).catch((e: unknown) => e);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(error).toMatchObject({
      code: "IMAGE_UNAVAILABLE",
      message: expect.stringMatching(/^Could not pull mcphost-test-missing:nope: \S/),
    });
    expect((error as Error).message).not.toContain("HTTP code");
    expect(logs.lines.map((l) => `${l.stream}: ${l.line}`)).toEqual([
      "system: pulling mcphost-test-missing:nope",
    ]);
    // Starting without preparing says what is missing instead of pulling.
    await expect(runtime.start(spec, logs.sink)).rejects.toMatchObject({
      code: "IMAGE_UNAVAILABLE",
    });
    expect(await runtime.inspect(spec.instanceId)).toBeUndefined();
  });

  test("http without network access is reachable from the host through an internal network", async () => {
    const spec = await newSpec(
      { kind: "image", image: appImage },
      { env: { PORT: "8080" }, transport: { type: "http", port: 8080, path: "/mcp" } },
    );
    await runtime.start(spec, collect().sink);
    const { host, port } = await runtime.address(spec.instanceId);
    expect(port).toBe(8080);
    expect(await fetchJson(`http://${host}:${port}/mcp`)).toEqual({ ok: true, path: "/mcp" });
    const network = await raw.getNetwork(`${networkName}-internal`).inspect();
    expect(network).toMatchObject({ Internal: true, Labels: { "mcphost.managed-by": "mcphost" } });
  });

  test("instances cannot reach each other directly; the host reaches both", async () => {
    const server = await newSpec(
      { kind: "image", image: appImage },
      {
        env: { PORT: "8080" },
        transport: { type: "http", port: 8080, path: "/" },
        network: "outbound",
      },
    );
    await runtime.start(server, collect().sink);
    const { host, port } = await runtime.address(server.instanceId);
    await fetchJson(`http://${host}:${port}/`);
    const probe = await fixtureSpec(["probe"], {
      env: { PROBE_CONNECT: `${host}:${port}` },
      network: "outbound",
    });
    const logs = collect();
    await runtime.start(probe, logs.sink);
    const line = await logs.waitFor((l) => l.line.startsWith("PROBE "));
    expect((JSON.parse(line.line.slice(6)) as ProbeReport).connect).not.toBe("connected");
  });

  test("stats, stop, and the exit code of a stopped instance", async () => {
    const spec = await fixtureSpec(["stdio-echo"]);
    const logs = collect();
    const began = performance.now();
    await runtime.start(spec, logs.sink);
    const started = performance.now();
    await logs.waitFor((l) => l.line === "ready");
    const ready = performance.now();
    console.info(
      `docker start: start() ${Math.round(started - began)} ms, ready after ${Math.round(ready - began)} ms`,
    );
    const stats = await runtime.stats(spec.instanceId);
    expect(stats?.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(stats?.memoryBytes).toBeLessThan(DEFAULT_LIMITS.memoryMb * 1024 * 1024);
    expect(stats?.cpuPercent).toBeGreaterThanOrEqual(0);

    const exit = runtime.waitForExit(spec.instanceId);
    await runtime.stop(spec.instanceId, { timeoutMs: 5_000 });
    // SIGTERM killed it: "killed by a signal", not a crash with an exit code.
    expect(await exit).toEqual({ exitCode: null });
    expect(await runtime.stats(spec.instanceId)).toBeUndefined();
    await expect(runtime.attachStdio(spec.instanceId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await runtime.stop(spec.instanceId); // stopping a stopped instance is fine
  });

  test("the memory limit holds: going past it ends the instance, reported as out of memory", async () => {
    const spec = await fixtureSpec(["eat-memory", "256"], {
      limits: { memoryMb: 64, cpus: 1, pids: 64 },
    });
    await runtime.start(spec, collect().sink);
    expect(await runtime.waitForExit(spec.instanceId)).toEqual({ exitCode: null });
    expect(await runtime.inspect(spec.instanceId)).toMatchObject({
      state: { state: "exited", exitCode: null, reason: "out of memory" },
    });
  });

  test("adoption: a new runtime object finds, attaches to and removes a running instance", async () => {
    const spec = await fixtureSpec(["stdio-echo"]);
    await writeFile(join(spec.filesDir, "keep.txt"), "x");
    const logs = collect();
    await runtime.start(spec, logs.sink);
    await logs.waitFor((l) => l.line === "ready");

    // A control-plane restart: nothing in memory survives, only the engine's containers.
    const restarted = newRuntime(nodeImage);
    const found = await restarted.list({ [SERVER_ID_LABEL]: spec.serverId });
    expect(found).toMatchObject([
      { instanceId: spec.instanceId, serverId: spec.serverId, state: { state: "running" } },
    ]);
    for (const attempt of [1, 2]) {
      // Attaching twice works: the gateway re-attaches after losing a connection.
      const { stdin, stdout } = await restarted.attachStdio(spec.instanceId);
      const reply = firstLine(stdout);
      stdin.write(`${JSON.stringify({ attempt })}\n`);
      expect(JSON.parse(await reply)).toEqual({ echo: { attempt } });
      stdout.destroy();
    }
    await restarted.remove(spec.instanceId);
    expect(await restarted.list({ [SERVER_ID_LABEL]: spec.serverId })).toEqual([]);
    expect(await runtime.inspect(spec.instanceId)).toBeUndefined();
    await restarted.remove(spec.instanceId); // idempotent
    expect(await readFile(join(spec.filesDir, "keep.txt"), "utf8")).toBe("x");
  });

  test("runs npm servers on a Node image built from the host's node when the default cannot be pulled", async () => {
    const offline = () =>
      createDockerRuntime({
        docker: createDockerClient({ host: dockerHost }),
        nodeImage: "mcphost-test-missing-node:nope",
        networkName,
        logger,
        hostNodeFallback: true,
      });
    const spec = await fixtureSpec(["stdio-echo"]);
    const prepared = collect();
    const first = offline();
    await first.prepare(spec, prepared.sink);
    expect(prepared.lines.map((l) => l.line).join("\n")).toMatch(
      /Could not pull mcphost-test-missing-node:nope[\s\S]*building a Node image from this host's node[\s\S]*using mcphost-node:host-/,
    );
    await first.start(spec, collect().sink);
    const { stdin, stdout } = await first.attachStdio(spec.instanceId);
    const reply = firstLine(stdout);
    stdin.write('{"hello":1}\n');
    expect(JSON.parse(await reply)).toEqual({ echo: { hello: 1 } });
    stdout.destroy();
    await first.remove(spec.instanceId);
    // After a control-plane restart, a start without a deploy settles on the same image.
    const again = await fixtureSpec(["stdio-echo"]);
    const restarted = offline();
    await restarted.start(again, collect().sink);
    const info = await raw.getContainer(`mcphost-${again.instanceId}`).inspect();
    expect(info.Config.Image).toMatch(/^mcphost-node:host-/);
    await restarted.remove(again.instanceId);
  });

  test("an adopted instance's new output reaches the new runtime's sink, not its old output", async () => {
    const spec = await fixtureSpec(["ignore-sigterm"]);
    const before = collect();
    await runtime.start(spec, before.sink);
    // `since` has whole-second precision: let the start-up output age past it.
    await new Promise((r) => setTimeout(r, 1500));
    const restarted = newRuntime(nodeImage);
    const adopted = collect();
    await restarted.followLogs?.(spec.instanceId, adopted.sink, { stdout: false });
    await new Promise((r) => setTimeout(r, 300));
    await raw.getContainer(`mcphost-${spec.instanceId}`).kill({ signal: "SIGTERM" });
    await adopted.waitFor((l) => l.line === "got SIGTERM");
    const earlier = new Set(
      before.lines.filter((l) => l.line !== "got SIGTERM").map((l) => l.line),
    );
    expect(adopted.lines.filter((l) => earlier.has(l.line))).toEqual([]);
    await restarted.stop(spec.instanceId, { timeoutMs: 100 });
    await restarted.remove(spec.instanceId);
  });

  test("a network removed behind the runtime's back is made again", async () => {
    // Its own network, so no other test's container keeps it in use.
    const own = `${networkName}-prune`;
    const pruned = createDockerRuntime({
      docker: createDockerClient({ host: dockerHost }),
      nodeImage,
      networkName: own,
      logger,
    });
    const first = await fixtureSpec(["exit", "0"], { network: "outbound" });
    await pruned.start(first, collect().sink);
    await pruned.remove(first.instanceId);
    await raw.getNetwork(own).remove(); // what `docker network prune` does when idle
    const second = await fixtureSpec(["exit", "0"], { network: "outbound" });
    await pruned.start(second, collect().sink);
    expect(await pruned.waitForExit(second.instanceId)).toEqual({ exitCode: 0 });
  });

  test("unknown instances: inspect is undefined, the others say NOT_FOUND", async () => {
    expect(await runtime.inspect("ins_dtunknown")).toBeUndefined();
    expect(await runtime.stats("ins_dtunknown")).toBeUndefined();
    await expect(runtime.waitForExit("ins_dtunknown")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(runtime.address("ins_dtunknown")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(runtime.attachStdio("ins_dtunknown")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

function collect() {
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const sink = (line: LogLine) => {
    lines.push(line);
    for (const waiter of waiters) waiter();
  };
  const waitFor = (match: (line: LogLine) => boolean, timeoutMs = 10_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching line; got:\n${lines.map((l) => l.line).join("\n")}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { lines, sink, waitFor };
}

function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    stream.once("end", () => reject(new Error(`stdout ended after: ${text}`)));
  });
}

async function fetchJson(url: string): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return await response.json();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
