import { Writable } from "node:stream";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server as McpServer } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingConnector, pagedToolsConnector } from "../../test/support/mcp-upstreams.js";
import { serverFixture } from "../../test/support/server-fixture.js";
import { createTestDatabase } from "../../test/support/test-database.js";
import type { Database } from "../db/database.js";
import { createServerCapabilitiesRepository } from "../db/repositories/server-capabilities-repository.js";
import { createStore } from "../db/store.js";
import type { Server } from "../domain/servers/server.js";
import type { ServerCapabilitiesRepository } from "../domain/servers/server-capabilities.js";
import type { Store } from "../domain/store.js";
import type { UpstreamConnector } from "../gateway/ports.js";
import { systemClock } from "../lib/clock.js";
import { createLogger } from "../lib/logger.js";
import { createInProcessEventBus } from "../lifecycle/event-bus.js";
import { createCapabilityDiscovery, DISCOVERY_CLIENT_NAME } from "./capability-discovery.js";

let database: Database;
let drop: () => Promise<void>;
let store: Store;
let repository: ServerCapabilitiesRepository;
let logged = "";

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  store = createStore(database.db);
  repository = createServerCapabilitiesRepository(database.db);
  await store.users.insert({
    id: "usr_fixture",
    email: "d@example.com",
    passwordHash: "x",
    role: "user",
    serverQuota: 10,
    createdAt: new Date(),
  });
});
afterAll(() => drop?.());

let serial = 0;
async function insertServer(overrides: Partial<Server> = {}): Promise<Server> {
  serial++;
  const server = serverFixture({ id: `srv_d${serial}`, slug: `d${serial}`, ...overrides });
  await store.servers.insert(server);
  return server;
}

function discoveryWith(
  connector: UpstreamConnector,
  bus = createInProcessEventBus(),
  minIntervalMs = 0,
) {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  return createCapabilityDiscovery({
    servers: store.servers,
    capabilities: repository,
    connector,
    bus,
    clock: systemClock,
    logger: createLogger({ level: "warn" }, sink),
    version: "9.9.9",
    options: { debounceMs: 50, minIntervalMs, timeoutMs: 20_000 },
  });
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting");
}

const names = (items: unknown[] | undefined) =>
  (items as Array<{ name: string }> | undefined)?.map((item) => item.name);

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("discovering server-everything over stdio", () => {
  it("stores its info, tools with schemas, resources, templates and prompts, then disconnects", async () => {
    const server = await insertServer();
    const { connector, opened, pids } = everythingConnector();
    const discovery = discoveryWith(connector);

    const found = await discovery.discover(server.id);

    expect(opened).toEqual([
      {
        serverId: server.id,
        sessionId: null,
        client: { name: DISCOVERY_CLIENT_NAME, version: "9.9.9" },
      },
    ]);
    expect(found).toMatchObject({
      serverId: server.id,
      error: null,
      revision: 1,
      protocolVersion: "2025-11-25",
      serverInfo: { name: "mcp-servers/everything", title: "Everything Reference Server" },
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true } },
    });
    expect(found?.instructions).toBeTruthy();

    const tools = found?.tools as Array<Record<string, any>>;
    const echo = tools.find((t) => t.name === "echo");
    expect(echo).toMatchObject({
      title: "Echo Tool",
      description: "Echoes back the input string",
      inputSchema: { type: "object", properties: { message: { type: "string" } } },
      annotations: { readOnlyHint: true },
    });
    expect(tools.some((t) => t.outputSchema !== undefined)).toBe(true);
    expect(names(found?.prompts)).toEqual(expect.arrayContaining(["simple-prompt", "args-prompt"]));
    expect(found?.resources.length).toBeGreaterThan(0);
    expect(names(found?.resourceTemplates)).toContain("Dynamic Text Resource");

    // What the API reads is what was found, and the server process is gone.
    expect(await repository.find(server.id)).toEqual(found);
    expect(pids).toHaveLength(1);
    await until(async () => (isAlive(pids[0] as number) ? undefined : true));
  });
});

describe("discovery rules", () => {
  it("follows nextCursor through every page and lists only what is advertised", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"], ["beta"], ["gamma"]]);
    const found = await discoveryWith(upstream.connector).discover(server.id);
    expect(found?.error).toBeNull();
    expect(names(found?.tools)).toEqual(["alpha", "beta", "gamma"]);
    // The server offers no resources or prompts; asking would have failed the discovery.
    expect(found).toMatchObject({ resources: [], resourceTemplates: [], prompts: [] });
    expect(found?.serverInfo).toMatchObject({ name: "paged", version: "0.3.0" });
    expect(found?.instructions).toBe("Tools come in pages.");
  });

  it("keeps the previous lists and records why when a later discovery fails", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"]]);
    let refuse = false;
    const discovery = discoveryWith({
      open: (s, ctx) =>
        refuse ? Promise.reject(new Error("upstream refused")) : upstream.connector.open(s, ctx),
    });
    await discovery.discover(server.id);
    refuse = true;
    const failed = await discovery.discover(server.id);
    expect(failed).toMatchObject({ error: "upstream refused", revision: 2 });
    expect(names(failed?.tools)).toEqual(["alpha"]);
    expect(logged).toContain("capability discovery failed");

    refuse = false;
    expect(await discovery.discover(server.id)).toMatchObject({ error: null, revision: 3 });
  });

  it("records the error when the first discovery already fails, and never throws", async () => {
    const server = await insertServer();
    const discovery = discoveryWith({ open: () => Promise.reject(new Error("no route")) });
    await expect(discovery.discover(server.id)).resolves.toMatchObject({
      error: "no route",
      revision: 1,
      tools: [],
    });
  });

  it("does not connect to a server that is not running, nor to one that is gone", async () => {
    const server = await insertServer({ status: "stopped" });
    const upstream = pagedToolsConnector([["alpha"]]);
    const discovery = discoveryWith(upstream.connector);
    expect(await discovery.discover(server.id)).toBeUndefined();
    expect(await discovery.discover("srv_missing")).toBeUndefined();
    expect(upstream.opened).toHaveLength(0);
  });

  it("runs one discovery at a time per server and queues one more for repeated asks", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"]]);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const discovery = discoveryWith({
      open: async (s, ctx) => {
        await gate;
        return upstream.connector.open(s, ctx);
      },
    });
    const asks = [1, 2, 3, 4].map(() => discovery.discover(server.id));
    release();
    const results = await Promise.all(asks);
    expect(upstream.opened).toHaveLength(2);
    expect(results.map((r) => r?.revision)).toEqual([1, 2, 2, 2]);
  });
});

/** `stop` ends the discovery under way at once, storing nothing (it was not the server's fault). */
async function expectStopEndsIt(
  discovery: ReturnType<typeof discoveryWith>,
  pending: Promise<unknown>,
  serverId: string,
) {
  const started = Date.now();
  await discovery.stop();
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(await pending).toBeUndefined();
  expect(await repository.find(serverId)).toBeUndefined();
}

describe("stopping", () => {
  it("ends a discovery stuck on a slow server at once, without recording an error", async () => {
    const server = await insertServer();
    let listed = false;
    const hanging: UpstreamConnector = {
      async open() {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const upstream = new McpServer(
          { name: "stuck", version: "1" },
          { capabilities: { tools: {} } },
        );
        upstream.setRequestHandler(ListToolsRequestSchema, async () => {
          listed = true;
          await new Promise((r) => setTimeout(r, 10_000));
          return { tools: [] };
        });
        await upstream.connect(serverSide);
        return clientSide;
      },
    };
    const discovery = discoveryWith(hanging);
    const pending = discovery.discover(server.id);
    await until(async () => (listed ? true : undefined));
    await expectStopEndsIt(discovery, pending, server.id);
  });
});

describe("stopping, before the server answered", () => {
  it("ends a discovery waiting on a server that says nothing to initialize", async () => {
    const server = await insertServer();
    let opened = false;
    const silent: UpstreamConnector = {
      async open() {
        opened = true;
        // Nothing serves the other end: `initialize` is never answered.
        const [clientSide] = InMemoryTransport.createLinkedPair();
        return clientSide;
      },
    };
    const discovery = discoveryWith(silent);
    const pending = discovery.discover(server.id);
    await until(async () => (opened ? true : undefined));
    await expectStopEndsIt(discovery, pending, server.id);
  });
});

describe("what triggers a discovery", () => {
  it("a server becoming running", async () => {
    const server = await insertServer();
    const bus = createInProcessEventBus();
    const upstream = pagedToolsConnector([["alpha"]]);
    const discovery = discoveryWith(upstream.connector, bus);
    discovery.start();
    const event = { id: 1, serverId: server.id, owner: server.owner, time: new Date() };
    bus.publishEvent({ ...event, kind: "status", details: { from: "running", to: "stopping" } });
    bus.publishEvent({ ...event, kind: "start", details: {} });
    bus.publishEvent({ ...event, kind: "status", details: { from: "starting", to: "running" } });
    const found = await until(() => repository.find(server.id));
    expect(found.tools).toHaveLength(1);
    await discovery.stop();
    expect(upstream.opened).toHaveLength(1);
  });

  it("a list_changed notification from a client's session, once per burst, after a pause", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"]]);
    const discovery = discoveryWith(upstream.connector);
    await discovery.discover(server.id);

    upstream.setPages([["alpha", "beta"]]);
    const session = {
      serverId: server.id,
      sessionId: "ses_1",
      client: { name: "cursor", version: "1" },
    };
    const watcher = discovery.listChangedWatcher;
    watcher.fromServer(session, { jsonrpc: "2.0", method: "notifications/tools/list_changed" });
    watcher.fromServer(session, { jsonrpc: "2.0", method: "notifications/prompts/list_changed" });
    watcher.fromServer(session, { jsonrpc: "2.0", method: "notifications/message", params: {} });
    watcher.fromServer(session, { jsonrpc: "2.0", id: 7, result: {} });

    const refreshed = await until(async () => {
      const row = await repository.find(server.id);
      return row && row.revision > 1 ? row : undefined;
    });
    expect(names(refreshed.tools)).toEqual(["alpha", "beta"]);
    await new Promise((r) => setTimeout(r, 150));
    expect((await repository.find(server.id))?.revision).toBe(2);
    expect(upstream.opened).toHaveLength(2);
  });

  it("at most once per minIntervalMs, however many sessions announce changes", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"]]);
    const discovery = discoveryWith(upstream.connector, createInProcessEventBus(), 400);
    const started = Date.now();
    await discovery.discover(server.id);
    for (let n = 0; n < 5; n++) {
      discovery.listChangedWatcher.fromServer(
        { serverId: server.id, sessionId: `ses_${n}`, client: { name: "c", version: "1" } },
        { jsonrpc: "2.0", method: "notifications/tools/list_changed" },
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.opened).toHaveLength(1);
    await until(async () => (upstream.opened.length === 2 ? true : undefined));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.opened).toHaveLength(2);
  });

  it("not the notifications of discovery's own connections, which would loop", async () => {
    const server = await insertServer();
    const upstream = pagedToolsConnector([["alpha"]]);
    const discovery = discoveryWith(upstream.connector);
    discovery.listChangedWatcher.fromServer(
      {
        serverId: server.id,
        sessionId: null,
        client: { name: DISCOVERY_CLIENT_NAME, version: "1" },
      },
      { jsonrpc: "2.0", method: "notifications/tools/list_changed" },
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(upstream.opened).toHaveLength(0);
    expect(await repository.find(server.id)).toBeUndefined();
  });
});
