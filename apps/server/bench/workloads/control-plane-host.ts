import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ApiClient, signUp } from "../../test/support/api-client.js";
import { createPostgresDatabase } from "../../test/support/test-database.js";
import { type McpHost, startMcpHost } from "../arms/mcp-host.js";
import { HttpGetClient } from "../http-get-client.js";
import { serverBody } from "./control-plane-servers.js";

/** Servers created at once while seeding: the owner's quota lock serialises them anyway. */
const SEED_CONCURRENCY = 4;

/** An MCP Host with one user owning `servers` servers, and a client holding that user's token. */
export interface ControlPlaneHost {
  /** "PGlite" or "PostgreSQL". */
  database: string;
  host: McpHost;
  /** Sends the user's personal access token (scope `servers:read`), as the CLI would. */
  client: HttpGetClient;
  servers: number;
  seedSeconds: number;
  /** Set when profiled: where the `.cpuprofile` is once `stop` has returned. */
  profileDir: string | undefined;
  /** Stops the host and drops its PostgreSQL database; later calls wait for the first. */
  stop(): Promise<void>;
}

/**
 * Starts an MCP Host of its own (production defaults, as the gateway's) on embedded PGlite, or on
 * a new database of the PostgreSQL at `postgresAdminUrl` (dropped by `stop`), and seeds it
 * through the API, as a user's data comes to be: a regular user signs up, an admin raises their
 * quota, and the user creates the servers (`start: false`: rows, events and a first MCP key
 * each, nothing deployed) and a read-only token.
 */
export async function startControlPlaneHost(options: {
  workDir: string;
  postgresAdminUrl: string | undefined;
  servers: number;
  profile: boolean;
}): Promise<ControlPlaneHost> {
  const database = options.postgresAdminUrl ? "PostgreSQL" : "PGlite";
  const name = `control-plane-${database.toLowerCase()}`;
  const pg = options.postgresAdminUrl
    ? await createPostgresDatabase(options.postgresAdminUrl)
    : undefined;
  const profileDir = options.profile ? join(options.workDir, `${name}-profile`) : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  let host: McpHost | undefined;
  let client: HttpGetClient | undefined;
  let stopping: Promise<void> | undefined;
  // Once, however often it is called: the profile is written and the database dropped once.
  const stop = () => {
    stopping ??= (async () => {
      await client?.close();
      await host?.stop();
      await pg?.drop();
    })();
    return stopping;
  };
  try {
    host = await startMcpHost({
      workDir: options.workDir,
      name,
      env: pg ? { DATABASE_URL: pg.url } : {},
      nodeArgs: profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
    });
    const started = performance.now();
    const token = await seed(host, options.servers);
    const seedSeconds = (performance.now() - started) / 1000;
    client = new HttpGetClient(host.url, { authorization: `Bearer ${token}` });
    return {
      database,
      host,
      client,
      servers: options.servers,
      seedSeconds,
      profileDir,
      stop,
    };
  } catch (err) {
    const log = host?.output().slice(-2000) ?? "";
    await stop().catch(() => {});
    throw new Error(`control plane on ${database}: ${(err as Error).message}\n${log}`);
  }
}

/** Creates the user, their servers and their token; returns the token. */
async function seed(host: McpHost, servers: number): Promise<string> {
  const { client: user, user: account } = await signUp(
    new ApiClient(host.url, host.url),
    "owner@example.com",
  );
  expect(
    await host.admin.patch(`/api/admin/users/${account.id}`, { serverQuota: servers }),
    200,
    "raising the quota",
  );
  let next = 0;
  const creator = async () => {
    for (let i = next++; i < servers; i = next++)
      expect(await user.post("/api/servers", serverBody(i)), 201, `creating server ${i}`);
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, creator));
  const created = await user.post("/api/tokens", { name: "bench", scopes: ["servers:read"] });
  expect(created, 201, "creating the token");
  return (created.body as { token: string }).token;
}

function expect(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status !== status)
    throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
}
