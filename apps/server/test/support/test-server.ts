import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import { type AppDependencies, createApp, type McpHostApp as McpHost } from "../../src/app.js";
import { loadConfig } from "../../src/config/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/lib/logger.js";
import { ApiClient } from "./api-client.js";
import { createTestDatabase } from "./test-database.js";

export interface TestServer {
  url: string;
  /** The server's data folder (packages, server files), removed on close. */
  dataDir: string;
  /** The server's database, for tests that break it on purpose. */
  database: Database;
  /** The composed app: its worker, lifecycle and metrics. */
  mcphost: McpHost;
  /** A new client with its own cookie jar, sending our Origin like a browser on our pages would. */
  client(): ApiClient;
  /** Every log line written so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  /** Raw log output, for asserting that secrets never appear in it. */
  rawLogs(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * The whole app on a real port over a fresh database, as a user would reach it.
 * `env` overrides settings the way environment variables would.
 */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    loginLimits?: AppDependencies["loginLimits"];
    webDir?: string;
    /** Where servers run, given the server's data folder; none by default (account tests need none). */
    runtimesFor?: (dataDir: string) => AppDependencies["runtimes"];
    clock?: AppDependencies["clock"];
    readiness?: AppDependencies["readiness"];
    health?: AppDependencies["health"];
  } = {},
): Promise<TestServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "mcphost-test-"));
  const config = loadConfig(
    {
      PORT: String(port),
      MCPHOST_DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      PATH: process.env.PATH,
      ...options.env,
    },
    (p) => p,
  );
  let raw = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level: "info" }, sink);
  const { database, drop } = await createTestDatabase();
  const mcphost = createApp({
    runtimes: options.runtimesFor?.(dataDir) ?? {},
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.health ? { health: options.health } : {}),
    config,
    secretKey: "test-secret-key-that-is-at-least-32-characters",
    logger,
    database,
    // Tests sign up many users from one address; only tests about limits set them low.
    loginLimits: options.loginLimits ?? {
      windowSeconds: 900,
      maxFailuresPerAccount: 10,
      maxAttemptsPerIp: 1000,
      maxRegistrationsPerIp: 1000,
    },
    ...(options.webDir ? { webDir: options.webDir } : {}),
  });
  const { app } = mcphost;
  await mcphost.start();
  const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir,
    database,
    client: () => new ApiClient(url, config.publicUrl),
    logs: () =>
      raw
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    rawLogs: () => raw,
    mcphost,
    close: async () => {
      (server as import("node:http").Server).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mcphost.stop();
      await drop().catch(() => {}); // a test may have closed the database already
      // A server process that is still exiting may write one last file meanwhile (ENOTEMPTY).
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
