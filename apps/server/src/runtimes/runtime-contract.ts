import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  createFixturePackage,
  type FixturePackage,
  fixtureProgram,
  type ProbeReport,
  testLaunchSpec,
} from "../../test/support/fixture-servers.js";
import {
  MANAGED_BY_LABEL,
  type NetworkPolicy,
  SERVER_ID_LABEL,
  type ServerTransport,
} from "../domain/servers/server.js";
import {
  DATA_MOUNT,
  type LaunchSpec,
  type LogLine,
  type LogSink,
  type Program,
  type Runtime,
  RuntimeError,
} from "./runtime.js";

/**
 * The behaviour every Runtime must have, as one Vitest suite. A runtime's test file calls
 * `describeRuntimeContract("docker", async () => ({ runtime, cleanup }), { skipReason })`.
 * Test support only: it imports Vitest and test/support, so it is not part of the build.
 */
export interface RuntimeContractOptions {
  /** When set, the whole suite is reported as skipped with this reason. */
  skipReason?: string | undefined;
  /** Program kinds this runtime must refuse with RuntimeError("UNSUPPORTED"). */
  unsupportedKinds?: Exclude<Program["kind"], "node-package">[] | undefined;
}

const CANARY_NAME = "MCPHOST_CANARY_SECRET";
const TEST_TIMEOUT = 20_000;

export function describeRuntimeContract(
  name: string,
  setup: () => Promise<{ runtime: Runtime; cleanup: () => Promise<void> }>,
  options: RuntimeContractOptions = {},
): void {
  describe.skipIf(options.skipReason)(`runtime contract: ${name}`, () => {
    let runtime: Runtime;
    let cleanup: () => Promise<void> = async () => {};
    let fixture: FixturePackage;
    let sandboxed = true;
    const started: string[] = [];
    const tempDirs: string[] = [];

    beforeAll(async () => {
      // Set before the runtime exists, so an implementation copying process.env is caught too.
      process.env[CANARY_NAME] = `canary-${randomBytes(8).toString("hex")}`;
      fixture = await createFixturePackage();
      ({ runtime, cleanup } = await setup());
      sandboxed = (await runtime.availability()).sandboxed;
    });

    afterEach(async () => {
      await Promise.all(started.splice(0).map((id) => runtime.remove(id).catch(() => {})));
    });

    afterAll(async () => {
      delete process.env[CANARY_NAME];
      await cleanup();
      await fixture?.cleanup();
      await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    async function newSpec(
      args: string[],
      more: {
        env?: Record<string, string>;
        transport?: ServerTransport;
        network?: NetworkPolicy;
        serverId?: string;
      } = {},
    ): Promise<LaunchSpec> {
      const spec = await testLaunchSpec(
        fixtureProgram(fixture, args),
        { [MANAGED_BY_LABEL]: "mcphost-contract" },
        more,
      );
      tempDirs.push(spec.filesDir);
      return spec;
    }

    async function start(spec: LaunchSpec, sink: LogSink): Promise<void> {
      started.push(spec.instanceId);
      await runtime.start(spec, sink);
    }

    async function probe(spec: LaunchSpec): Promise<ProbeReport> {
      const logs = collectLogs();
      await start(spec, logs.sink);
      const line = await logs.waitFor((l) => l.line.startsWith("PROBE "), "the probe report");
      return JSON.parse(line.line.slice("PROBE ".length)) as ProbeReport;
    }

    test(
      "stdio: attachStdio carries messages both ways; stderr reaches the sink, stdout does not",
      async () => {
        const logs = collectLogs();
        const spec = await newSpec(["stdio-echo"]);
        await start(spec, logs.sink);
        const { stdin, stdout } = await runtime.attachStdio(spec.instanceId);
        const reply = firstLine(stdout, 10_000);
        stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })}\n`);
        expect(JSON.parse(await reply)).toEqual({
          echo: { jsonrpc: "2.0", id: 1, method: "ping" },
        });
        await logs.waitFor((l) => l.stream === "stderr" && l.line === "ready", '"ready" on stderr');
        expect(logs.lines.filter((l) => l.stream === "stdout")).toEqual([]);
        expect(logs.lines.every((l) => l.time instanceof Date)).toBe(true);
      },
      TEST_TIMEOUT,
    );

    test(
      "http: address() reaches the server, which sees spec.env; stdout reaches the sink",
      async () => {
        const logs = collectLogs();
        const port = await freePort();
        const spec = await newSpec(["http", String(port)], {
          env: { GREETING: "hello from spec.env" },
          transport: { type: "http", port, path: "/mcp" },
          network: "outbound",
        });
        await start(spec, logs.sink);
        const address = await runtime.address(spec.instanceId);
        const body = await fetchJsonWithRetry(`http://${address.host}:${address.port}/health`);
        expect(body).toEqual({ ok: true, greeting: "hello from spec.env" });
        await logs.waitFor(
          (l) => l.stream === "stdout" && l.line === `listening on ${port}`,
          "the listening line on stdout",
        );
      },
      TEST_TIMEOUT,
    );

    test(
      "waitForExit gives the exit code, and inspect then says exited",
      async () => {
        const spec = await newSpec(["exit", "3"]);
        await start(spec, collectLogs().sink);
        await expect(runtime.waitForExit(spec.instanceId)).resolves.toEqual({ exitCode: 3 });
        expect(await runtime.inspect(spec.instanceId)).toMatchObject({
          instanceId: spec.instanceId,
          serverId: spec.serverId,
          state: { state: "exited", exitCode: 3 },
        });
      },
      TEST_TIMEOUT,
    );

    test(
      "list finds instances by labels, not other servers'; after remove it is gone",
      async () => {
        const mine = await newSpec(["stdio-echo"]);
        const other = await newSpec(["stdio-echo"]);
        await start(mine, collectLogs().sink);
        await start(other, collectLogs().sink);

        const found = await runtime.list({ [SERVER_ID_LABEL]: mine.serverId });
        expect(found.map((i) => i.instanceId)).toEqual([mine.instanceId]);
        expect(found[0]).toMatchObject({
          serverId: mine.serverId,
          labels: mine.labels,
          state: { state: "running" },
        });
        const both = await runtime.list({ [MANAGED_BY_LABEL]: "mcphost-contract" });
        expect(both.map((i) => i.instanceId)).toEqual(
          expect.arrayContaining([mine.instanceId, other.instanceId]),
        );

        await runtime.remove(mine.instanceId);
        expect(await runtime.list({ [SERVER_ID_LABEL]: mine.serverId })).toEqual([]);
        expect(await runtime.inspect(mine.instanceId)).toBeUndefined();
        expect(await runtime.inspect(other.instanceId)).toMatchObject({
          state: { state: "running" },
        });
        expect(await runtime.inspect("ins_contractunknown")).toBeUndefined();
      },
      TEST_TIMEOUT,
    );

    test(
      "stop ends a running instance promptly (SIGTERM)",
      async () => {
        const logs = collectLogs();
        const spec = await newSpec(["stdio-echo"]);
        await start(spec, logs.sink);
        await logs.waitFor((l) => l.line === "ready", '"ready" on stderr');
        const began = Date.now();
        await runtime.stop(spec.instanceId, { timeoutMs: 8_000 });
        // Well under the timeout: the program was asked to stop, not killed after waiting.
        expect(Date.now() - began).toBeLessThan(5_000);
        expect(await runtime.inspect(spec.instanceId)).toMatchObject({
          state: { state: "exited" },
        });
      },
      TEST_TIMEOUT,
    );

    test(
      "stop kills an instance that ignores SIGTERM once the timeout passes",
      async () => {
        const logs = collectLogs();
        const spec = await newSpec(["ignore-sigterm"]);
        await start(spec, logs.sink);
        await logs.waitFor((l) => l.line === "ready", '"ready" on stderr');
        const began = Date.now();
        await runtime.stop(spec.instanceId, { timeoutMs: 1_000 });
        expect(Date.now() - began).toBeLessThan(8_000);
        await logs.waitFor((l) => l.line === "got SIGTERM", "the program to receive SIGTERM");
        expect(await runtime.inspect(spec.instanceId)).toMatchObject({
          state: { state: "exited" },
        });
      },
      TEST_TIMEOUT,
    );

    test(
      "the instance sees its files at the data mount, and its writes land in filesDir",
      async () => {
        const reader = await newSpec(["probe"]);
        await writeFile(join(reader.filesDir, "hello.txt"), "placed by the host");
        const report = await probe(reader);
        expect(report.dataFiles).toEqual({ "hello.txt": "placed by the host" });

        const writer = await newSpec(["write-data", "out.txt", "written by the server"]);
        await start(writer, collectLogs().sink);
        await expect(runtime.waitForExit(writer.instanceId)).resolves.toEqual({ exitCode: 0 });
        expect(await readFile(join(writer.filesDir, "out.txt"), "utf8")).toBe(
          "written by the server",
        );
      },
      TEST_TIMEOUT,
    );

    test(
      "the instance does not see the control plane's environment",
      async () => {
        const report = await probe(await newSpec(["probe"], { env: { SERVER_OWN: "yes" } }));
        expect(report.envKeys).toContain("SERVER_OWN");
        expect(report.envKeys).not.toContain(CANARY_NAME);
      },
      TEST_TIMEOUT,
    );

    test(
      "the instance cannot read files outside its mounts",
      async (ctx) => {
        ctx.skip(!sandboxed, "this runtime reports sandboxed: false, so files are not isolated");
        const secretDir = await mkdtemp(join(tmpdir(), "mcphost-secret-"));
        tempDirs.push(secretDir);
        const secretPath = join(secretDir, "secret.key");
        await writeFile(secretPath, "control-plane secret");
        const spec = await newSpec(["probe"]);
        await writeFile(join(spec.filesDir, "mine.txt"), "ok");
        const visiblePath = `${DATA_MOUNT}/mine.txt`;
        const report = await probe({
          ...spec,
          env: { PROBE_PATHS: `${secretPath},${visiblePath}` },
        });
        expect(report.readable[secretPath]).toBe(false);
        // The control: the probe can read what it is meant to see.
        expect(report.readable[visiblePath]).toBe(true);
      },
      TEST_TIMEOUT,
    );

    test(
      "stats of a running instance report its memory",
      async () => {
        const logs = collectLogs();
        const spec = await newSpec(["stdio-echo"]);
        await start(spec, logs.sink);
        await logs.waitFor((l) => l.line === "ready", '"ready" on stderr');
        const stats = await runtime.stats(spec.instanceId);
        expect(stats?.memoryBytes).toBeGreaterThan(0);
        expect(stats?.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(stats?.time).toBeInstanceOf(Date);
      },
      TEST_TIMEOUT,
    );

    test.skipIf(!options.unsupportedKinds?.length)(
      `start refuses unsupported program kinds (${options.unsupportedKinds?.join(", ")})`,
      async () => {
        for (const kind of options.unsupportedKinds ?? []) {
          const spec = { ...(await newSpec(["exit", "0"])), program: programOfKind(kind) };
          const error = await runtime.start(spec, collectLogs().sink).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, kind).toBeInstanceOf(RuntimeError);
          expect((error as RuntimeError).code, kind).toBe("UNSUPPORTED");
          expect(await runtime.inspect(spec.instanceId)).toBeUndefined();
        }
      },
      TEST_TIMEOUT,
    );
  });
}

function programOfKind(kind: Exclude<Program["kind"], "node-package">): Program {
  switch (kind) {
    case "image":
      return { kind: "image", image: "mcphost.invalid/contract-unsupported:latest" };
    case "host-command":
      return { kind: "host-command", command: "true", args: [] };
  }
}

/** A sink that keeps every line and lets a test wait for one. */
function collectLogs() {
  const lines: LogLine[] = [];
  const listeners = new Set<() => void>();
  const sink: LogSink = (line) => {
    lines.push(line);
    for (const listener of listeners) listener();
  };
  function waitFor(match: (line: LogLine) => boolean, what: string, timeoutMs = 10_000) {
    return new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        const seen = lines.map((l) => `${l.stream}: ${l.line}`).join("\n");
        reject(new Error(`timed out waiting for ${what}; the sink got:\n${seen}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }
  return { sink, lines, waitFor };
}

function firstLine(stream: Readable, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const end = buffered.indexOf("\n");
      if (end >= 0) finish(() => resolve(buffered.slice(0, end)));
    };
    const onEnd = () => finish(() => reject(new Error("stdout ended before a full line")));
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no line on stdout within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      settle();
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
  });
}

async function fetchJsonWithRetry(url: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return await response.json();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A TCP port that was free a moment ago (the usual small race is acceptable in tests). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
