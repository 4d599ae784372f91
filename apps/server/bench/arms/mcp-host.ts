import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ApiClient, signUp } from "../../test/support/api-client.js";
import { type Child, freePort, startChild } from "./child-process.js";

const SERVER_DIR = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(SERVER_DIR, "dist", "main.js");
const GC_HOOK = fileURLToPath(new URL("./gc-hook.mjs", import.meta.url));

let built: Promise<void> | undefined;

/**
 * Compiles the server as `npm start` does (`tsc -p tsconfig.build.json`, a few seconds), once per
 * run, so every host runs the code users run: the build under plain `node`. Run through tsx
 * instead, each function the gateway creates per request went through esbuild's `__name` helper
 * and tsx's own modules took 8–12 MiB of the heap every collection marks.
 */
export function buildServer(): Promise<void> {
  built ??= (async () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: SERVER_DIR,
    }).catch((err: Error & { stdout?: string }) => {
      throw new Error(`building the server failed: ${err.stdout || err.message}`);
    });
  })();
  return built;
}

/** An MCP Host process the suite started, with its first (admin) account signed in. */
export interface McpHost {
  url: string;
  child: Child;
  admin: ApiClient;
  /** Its log so far (stdout and stderr). */
  output(): string;
  /** The file that log is written to, for readers that follow it rather than read it whole. */
  logFile: string;
  /** Its MCPHOST_DATA_DIR (installed packages are under `packages/`). */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts a whole MCP Host as its own process, exactly as `npm start` runs it (the build, under
 * plain `node`; built first if this run has not yet: `buildServer`), with its production
 * defaults: embedded PGlite on disk, `info` logging (one access-log line per request, to a file),
 * tracing of every MCP request. `name` names its data folder and log file. With `gcHook`, the
 * process runs with `--expose-gc` and `gc-hook.mjs`, which collects garbage and
 * prints the heap on SIGUSR2 (memory workloads; nothing of the app changes).
 */
export async function startMcpHost(options: {
  workDir: string;
  name: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  gcHook?: boolean;
}): Promise<McpHost> {
  await buildServer();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(options.workDir, `${options.name}-gateway.log`);
  const dataDir = join(options.workDir, `${options.name}-data`);
  const child = await startChild({
    command: process.execPath,
    args: [
      ...(options.nodeArgs ?? []),
      ...(options.gcHook ? ["--expose-gc"] : []),
      ...(options.gcHook ? ["--import", GC_HOOK] : []),
      MAIN,
    ],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      MCPHOST_DATA_DIR: dataDir,
      MCPHOST_PUBLIC_URL: url,
      MCPHOST_SECRET_KEY: randomBytes(32).toString("hex"),
      ...options.env,
    },
    logFile,
    ready: /MCP Host is listening/,
  });
  try {
    const { client } = await signUp(new ApiClient(url, url), "bench@example.com");
    return {
      url,
      child,
      admin: client,
      output: child.output,
      logFile,
      dataDir,
      stop: () => child.stop(),
    };
  } catch (err) {
    await child.stop();
    throw new Error(`${(err as Error).message}\n${child.output().slice(-2000)}`);
  }
}

/**
 * Creates a server (`body` as `POST /api/servers` takes it) and waits until it runs. Returns the
 * endpoint a client reaches it at, with the server's own key as a Bearer.
 */
export async function createServer(
  host: McpHost,
  body: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<{ id: string; url: string; headers: Record<string, string> }> {
  const created = await host.admin.post("/api/servers", body);
  if (created.status !== 201)
    throw new Error(`creating the server failed: ${JSON.stringify(created.body)}`);
  const { id, mcpUrl, apiKey } = created.body as { id: string; mcpUrl: string; apiKey: string };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body: server } = await host.admin.get(`/api/servers/${id}`);
    if (server.status === "running") break;
    if (server.status === "error" || Date.now() > deadline)
      throw new Error(`the server did not turn running: ${JSON.stringify(server)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { id, url: mcpUrl, headers: { authorization: `Bearer ${apiKey}` } };
}

/** A remote server pointing at `upstreamUrl` (an admin may allow a private address). */
export const remoteServer = (upstreamUrl: string, extra: Record<string, unknown> = {}) => ({
  name: "bench-echo",
  source: { type: "remote", url: upstreamUrl, allowPrivateNetwork: true },
  ...extra,
});

/** Runs `fn` against a started host and stops it whatever happens, with its log on failure. */
export async function withHostLog<T>(host: McpHost, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await host.stop();
    throw new Error(`${(err as Error).message}\n${host.output().slice(-2000)}`);
  }
}

/**
 * Deletes a server and waits until it is gone, its instances (containers) removed: containers
 * outlive a stopped MCP Host by design, and must not outlive the benchmark.
 */
export async function removeServer(host: McpHost, id: string, timeoutMs = 60_000): Promise<void> {
  await host.admin.delete(`/api/servers/${id}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await host.admin.get(`/api/servers/${id}`)).status === 404) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server ${id} was not removed within ${timeoutMs / 1000} s`);
}
