import { PassThrough } from "node:stream";
import type Dockerode from "dockerode";
import { describe, expect, test } from "vitest";
import { DEFAULT_LIMITS, SERVER_ID_LABEL } from "../../domain/servers/server.js";
import { createLogger } from "../../lib/logger.js";
import type { LaunchSpec, LogLine } from "../runtime.js";
import type { DockerClient } from "./docker-client.js";
import { createDockerClient } from "./docker-client.js";
import { DockerClientError, toClientError } from "./docker-client-error.js";
import { createDockerRuntime } from "./docker-runtime.js";
import { explainPullFailure, throttledProgress } from "./image-pull.js";
import { exitCodeOf } from "./instance-state.js";

/** Behaviour that needs no engine: a fake client with only the calls each test expects. */

const logger = createLogger({ level: "silent" });

function fakeDocker(calls: Partial<DockerClient>): DockerClient {
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call: ${name}`);
  };
  const names = [
    "ping",
    "imageExists",
    "pullImage",
    "inspectNetwork",
    "createNetwork",
    "createContainer",
    "startContainer",
    "inspectContainer",
    "listContainers",
    "waitContainer",
    "stopContainer",
    "removeContainer",
    "followOutput",
    "attachStdio",
    "containerStats",
  ] as const;
  const client = Object.fromEntries(names.map((n) => [n, unexpected(n)]));
  return { endpoint: "fake://docker", ...client, ...calls } as DockerClient;
}

function spec(more: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    serverId: "srv_1",
    instanceId: "ins_1",
    labels: { [SERVER_ID_LABEL]: "srv_1" },
    program: { kind: "image", image: "example/gpu:1" },
    env: {},
    transport: { type: "stdio" },
    limits: DEFAULT_LIMITS,
    network: "none",
    gpu: false,
    filesDir: "/tmp/files",
    ...more,
  };
}

const emptyOutput = async () => ({
  stdout: new PassThrough().end(),
  stderr: new PassThrough().end(),
  close: () => {},
});

describe("start", () => {
  test("a GPU spec reaches the engine as a device request for every GPU", async () => {
    const created: Dockerode.ContainerCreateOptions[] = [];
    const docker = fakeDocker({
      createContainer: async (options) => {
        created.push(options);
      },
      startContainer: async () => {},
      followOutput: emptyOutput,
    });
    const runtime = createDockerRuntime({
      docker,
      nodeImage: "node:20",
      networkName: "mcphost",
      logger,
      gpuAvailable: true,
    });
    await runtime.start(spec({ gpu: true }), () => {});
    expect(created[0]?.HostConfig?.DeviceRequests).toEqual([
      { Driver: "", Count: -1, Capabilities: [["gpu"]], Options: {} },
    ]);
  });

  test("a GPU spec on an engine without GPUs is refused before anything is created", async () => {
    const runtime = createDockerRuntime({
      docker: fakeDocker({}),
      nodeImage: "node:20",
      networkName: "mcphost",
      logger,
    });
    await expect(runtime.start(spec({ gpu: true }), () => {})).rejects.toMatchObject({
      code: "UNSUPPORTED",
    });
  });

  test("a container that fails to start is removed, and the engine's reason is kept", async () => {
    const removed: string[] = [];
    const docker = fakeDocker({
      createContainer: async () => {},
      startContainer: async () => {
        throw new DockerClientError("other", "OCI runtime create failed: boom");
      },
      removeContainer: async (name) => {
        removed.push(name);
      },
    });
    const runtime = createDockerRuntime({ docker, nodeImage: "n", networkName: "m", logger });
    await expect(runtime.start(spec(), () => {})).rejects.toMatchObject({
      code: "START_FAILED",
      message: expect.stringContaining("OCI runtime create failed: boom"),
    });
    expect(removed).toEqual(["mcphost-ins_1"]);
  });
});

describe("prepare", () => {
  test("pulls a missing image with throttled progress on the system stream", async () => {
    const lines: LogLine[] = [];
    const docker = fakeDocker({
      imageExists: async () => false,
      pullImage: async (_ref, onProgress) => {
        onProgress({ status: "Pulling from library/x" });
        onProgress({ id: "a1", status: "Downloading", progress: "[=>  ] 1MB/9MB" });
        // Same layer, same status, within a second of the last line: dropped.
        onProgress({ id: "a1", status: "Downloading", progress: "[==> ] 2MB/9MB" });
        onProgress({ id: "a1", status: "Pull complete" });
      },
    });
    const runtime = createDockerRuntime({ docker, nodeImage: "n", networkName: "m", logger });
    await runtime.prepare(spec({ program: { kind: "image", image: "x:1" } }), (l) => lines.push(l));
    expect(lines.map((l) => l.line)).toEqual([
      "pulling x:1",
      "Pulling from library/x",
      "a1: Downloading",
      "a1: Pull complete",
      "pulled x:1",
    ]);
    expect(lines.every((l) => l.stream === "system")).toBe(true);
  });

  test("a failed pull is IMAGE_UNAVAILABLE in plain words", async () => {
    const docker = fakeDocker({
      imageExists: async () => false,
      pullImage: async () => {
        throw new DockerClientError(
          "other",
          "pull access denied for nope, repository does not exist or may require 'docker login'",
        );
      },
    });
    const runtime = createDockerRuntime({ docker, nodeImage: "n", networkName: "m", logger });
    const error = await runtime
      .prepare(spec({ program: { kind: "image", image: "nope:1" } }), () => {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "IMAGE_UNAVAILABLE",
      message: expect.stringMatching(/^Could not pull nope:1: the image does not exist or/),
    });
  });

  test("node-package programs need the node image; host commands are unsupported", async () => {
    const checked: string[] = [];
    const docker = fakeDocker({
      imageExists: async (ref) => {
        checked.push(ref);
        return true;
      },
    });
    const runtime = createDockerRuntime({ docker, nodeImage: "node:20", networkName: "m", logger });
    const pkg = { kind: "node-package" as const, packageDir: "/p", entry: "i.js", args: [] };
    await runtime.prepare(spec({ program: pkg }), () => {});
    expect(checked).toEqual(["node:20"]);
    const host = { kind: "host-command" as const, command: "ls", args: [] };
    await expect(runtime.prepare(spec({ program: host }), () => {})).rejects.toMatchObject({
      code: "UNSUPPORTED",
    });
  });
});

describe("an unreachable engine", () => {
  const runtime = createDockerRuntime({
    docker: createDockerClient({ host: "unix:///nonexistent/docker.sock" }),
    nodeImage: "node:20",
    networkName: "mcphost",
    logger,
  });

  test("availability says where and why", async () => {
    const availability = await runtime.availability();
    expect(availability).toMatchObject({ available: false, sandboxed: true });
    expect(availability.reason).toMatch(
      /^Docker engine not reachable at unix:\/\/\/nonexistent\/docker.sock: .*ENOENT/,
    );
  });

  test("calls fail with a transient ENGINE_UNAVAILABLE", async () => {
    for (const call of [
      () => runtime.list({}),
      () => runtime.inspect("ins_1"),
      () => runtime.stop("ins_1"),
      () => runtime.prepare(spec(), () => {}),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE", transient: true });
    }
  });

  test("a tcp endpoint that refuses connections is unreachable too", async () => {
    const tcp = createDockerRuntime({
      docker: createDockerClient({ host: "tcp://127.0.0.1:1" }),
      nodeImage: "n",
      networkName: "m",
      logger,
    });
    expect(await tcp.availability()).toMatchObject({
      available: false,
      reason: expect.stringContaining("tcp://127.0.0.1:1"),
    });
  });

  test("hosts other than unix:// and tcp:// are refused when configured", () => {
    expect(() => createDockerClient({ host: "ssh://box" })).toThrow(/unix:\/\/\/path or tcp/);
  });
});

describe("helpers", () => {
  test("exit codes of signal deaths (128+N from the init process) read as null", () => {
    expect(exitCodeOf(0)).toBe(0);
    expect(exitCodeOf(3)).toBe(3);
    expect(exitCodeOf(128)).toBe(128);
    expect(exitCodeOf(137)).toBeNull();
    expect(exitCodeOf(143)).toBeNull();
    expect(exitCodeOf(255)).toBe(255);
  });

  test("progress repeats within a status at most once a second", () => {
    let now = 0;
    const said: string[] = [];
    const report = throttledProgress(
      (l) => said.push(l),
      () => now,
    );
    report({ id: "l", status: "Downloading", progress: "1" });
    report({ id: "l", status: "Downloading", progress: "2" });
    now = 999;
    report({ id: "l", status: "Downloading", progress: "3" });
    now = 1_001;
    report({ id: "l", status: "Downloading", progress: "4" });
    report({ id: "m", status: "Downloading", progress: "1" });
    expect(said).toEqual(["l: Downloading", "l: Downloading 4", "m: Downloading"]);
  });

  test("dockerode's failures are reduced to a kind and the engine's own words", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED /x"), { code: "ECONNREFUSED" });
    expect(toClientError(refused)).toMatchObject({ kind: "unreachable" });
    const missing = { statusCode: 404, json: { message: "No such container: x" }, message: "?" };
    expect(toClientError(missing)).toMatchObject({
      kind: "not-found",
      message: "No such container: x",
    });
    const streamed = {
      statusCode: 500,
      message: "(HTTP code 500) server error - Get x: no such host",
    };
    expect(toClientError(streamed)).toMatchObject({
      kind: "other",
      message: "Get x: no such host",
    });
    expect(toClientError({ statusCode: 304, message: "" })).toMatchObject({ kind: "not-modified" });
    expect(toClientError({ statusCode: 409, message: "" })).toMatchObject({ kind: "conflict" });
  });

  test("pull failures are explained", () => {
    expect(explainPullFailure('Get "https://r/v2/": dial tcp: lookup r: no such host')).toMatch(
      /^the registry could not be reached/,
    );
    expect(explainPullFailure("manifest for x:nope not found: manifest unknown")).toMatch(
      /^the image or tag does not exist/,
    );
    expect(explainPullFailure("something new")).toBe("something new");
  });
});
