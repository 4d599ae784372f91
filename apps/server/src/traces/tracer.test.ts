import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverFixture } from "../../test/support/server-fixture.js";
import { createTestDatabase } from "../../test/support/test-database.js";
import type { Database } from "../db/database.js";
import { createStore } from "../db/store.js";
import type { Store } from "../domain/store.js";
import type { Invocation, InvocationRepository } from "../domain/traces/ports.js";
import type { GatewaySession, SessionStore, TraceContext } from "../gateway/ports.js";
import { ManualClock } from "../lib/clock.js";
import { envelopeOf } from "../lib/json-envelope.js";
import { createTracer, type TracerOptions } from "./tracer.js";

let database: Database;
let drop: () => Promise<void>;
let store: Store;
const clock = new ManualClock(new Date("2026-03-01T10:00:00Z"));
let serverCount = 0;

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  store = createStore(database.db);
  await store.users.insert({
    id: "usr_t",
    email: "t@example.com",
    passwordHash: "x",
    role: "user",
    serverQuota: 100,
    createdAt: new Date(),
  });
});
afterAll(() => drop?.());

/** A fresh server row per test, so each test reads only its own invocations. */
async function newServer(): Promise<string> {
  const id = `srv_trace${++serverCount}`;
  await store.servers.insert(
    serverFixture({
      id,
      owner: { kind: "user", userId: "usr_t" },
      name: id,
      slug: id.replace("_", "-"),
      desiredState: "stopped",
      status: "created",
    }),
  );
  return id;
}

function setup(
  options: Partial<TracerOptions> = {},
  extra: { repository?: InvocationRepository; sessions?: SessionStore } = {},
) {
  const registry = new Registry();
  const errors: unknown[] = [];
  const tracer = createTracer({
    repository: extra.repository ?? store.invocations,
    clock,
    registry,
    sessions: extra.sessions,
    options,
    onError: (err) => errors.push(err),
  });
  return { tracer, registry, errors };
}

/** Stored invocations of a server, oldest first. */
async function stored(serverId: string): Promise<Invocation[]> {
  return (await store.invocations.list({ serverId, limit: 1000 })).reverse();
}

/** The value of one series of a metric (for histograms, pass the `_count` or `_sum` name). */
async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  series = name,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return (values as Array<(typeof values)[number] & { metricName?: string }>).find(
    (v) =>
      (v.metricName ?? name) === series &&
      Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  )?.value;
}

const req = (id: number | string, method: string, params?: unknown) => ({
  jsonrpc: "2.0" as const,
  id,
  method,
  ...(params !== undefined ? { params: params as Record<string, unknown> } : {}),
});
const ok = (id: number | string, result: Record<string, unknown>) => ({
  jsonrpc: "2.0" as const,
  id,
  result,
});
const note = (method: string, params?: Record<string, unknown>) => ({
  jsonrpc: "2.0" as const,
  method,
  ...(params ? { params } : {}),
});

describe("pairing requests with responses", () => {
  it("pairs the same id in two sessions with each session's own answer", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const a: TraceContext = {
      serverId,
      sessionId: "ses_a",
      client: { name: "claude", version: "1" },
    };
    const b: TraceContext = {
      serverId,
      sessionId: "ses_b",
      client: { name: "cursor", version: "2" },
    };
    tracer.fromClient(a, req(1, "tools/call", { name: "search", arguments: { q: "cats" } }));
    tracer.fromClient(b, req(1, "tools/call", { name: "fetch", arguments: { url: "x" } }));
    await new Promise((r) => setTimeout(r, 20));
    tracer.fromServer(b, ok(1, { content: [{ type: "text", text: "from b" }] }));
    tracer.fromServer(a, ok(1, { content: [{ type: "text", text: "from a" }] }));
    await tracer.flush();

    const [first, second] = await stored(serverId);
    expect(first).toMatchObject({
      sessionId: "ses_b",
      clientName: "cursor",
      clientVersion: "2",
      direction: "client",
      method: "tools/call",
      target: "fetch",
      params: { name: "fetch", arguments: { url: "x" } },
      result: { content: [{ type: "text", text: "from b" }] },
      error: null,
      isError: false,
      startedAt: clock.now(),
    });
    expect(second).toMatchObject({ sessionId: "ses_a", clientName: "claude", target: "search" });
    expect(second?.result).toEqual({ content: [{ type: "text", text: "from a" }] });
    expect(first?.latencyMs).toBeGreaterThanOrEqual(15);
  });

  it("takes the client from initialize's clientInfo and names the target of each method", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_init" };
    tracer.fromClient(
      ctx,
      req(0, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "inspector", version: "0.9" },
      }),
    );
    tracer.fromServer(ctx, ok(0, { protocolVersion: "2025-06-18", capabilities: {} }));
    const named: Array<[string, unknown, string]> = [
      ["prompts/get", { name: "summarize" }, "summarize"],
      ["resources/read", { uri: "file:///a.txt" }, "file:///a.txt"],
      ["resources/subscribe", { uri: "file:///b.txt" }, "file:///b.txt"],
      ["resources/unsubscribe", { uri: "file:///b.txt" }, "file:///b.txt"],
      ["completion/complete", { ref: { type: "ref/prompt", name: "greet" } }, "greet"],
      ["completion/complete", { ref: { type: "ref/resource", uri: "db://{t}" } }, "db://{t}"],
    ];
    named.forEach(([method, params], i) => {
      tracer.fromClient(ctx, req(i + 1, method, params));
      tracer.fromServer(ctx, ok(i + 1, {}));
    });
    tracer.fromClient(ctx, req(99, "tools/list"));
    tracer.fromServer(ctx, ok(99, { tools: [] }));
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows[0]).toMatchObject({
      method: "initialize",
      clientName: "inspector",
      clientVersion: "0.9",
    });
    expect(rows.slice(1, -1).map((r) => r.target)).toEqual(named.map(([, , target]) => target));
    expect(rows.at(-1)).toMatchObject({ method: "tools/list", target: null });
  });

  it("pairs server-to-client requests with the client's answers, apart from client requests", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_s", client: { name: "c", version: "1" } };
    // Both sides use id 0 at once: a tool call, and the sampling request it triggers.
    tracer.fromClient(ctx, req(0, "tools/call", { name: "ask" }));
    tracer.fromServer(ctx, req(0, "sampling/createMessage", { messages: [], maxTokens: 100 }));
    tracer.fromClient(ctx, ok(0, { role: "assistant", content: { type: "text", text: "hi" } }));
    tracer.fromServer(ctx, req(1, "roots/list"));
    tracer.fromClient(ctx, {
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32601, message: "no roots" },
    });
    tracer.fromServer(ctx, ok(0, { content: [{ type: "text", text: "done" }] }));
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows.map((r) => [r.direction, r.method])).toEqual([
      ["server", "sampling/createMessage"],
      ["server", "roots/list"],
      ["client", "tools/call"],
    ]);
    expect(rows[0]?.result).toMatchObject({ content: { text: "hi" } });
    expect(rows[0]?.params).toMatchObject({ maxTokens: 100 });
    expect(rows[1]).toMatchObject({ error: { code: -32601, message: "no roots" }, isError: true });
    expect(rows[2]?.result).toMatchObject({ content: [{ text: "done" }] });
  });

  it("keeps one-off connections without a session apart by their context", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const one: TraceContext = { serverId, sessionId: null };
    const two: TraceContext = { serverId, sessionId: null };
    tracer.fromClient(one, req(0, "tools/call", { name: "first" }));
    tracer.fromClient(two, req(0, "tools/call", { name: "second" }));
    tracer.fromServer(two, ok(0, { content: [], from: "two" }));
    tracer.fromServer(one, ok(0, { content: [], from: "one" }));
    await tracer.flush();
    const rows = await stored(serverId);
    expect(rows.map((r) => [r.target, (r.result as { from: string }).from])).toEqual([
      ["second", "two"],
      ["first", "one"],
    ]);
    expect(rows.every((r) => r.sessionId === null)).toBe(true);
  });
});

describe("what is stored", () => {
  it("redacts secrets at any depth, in arrays too, and keeps everything else", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_r" };
    tracer.fromClient(
      ctx,
      req(1, "tools/call", {
        name: "deploy",
        arguments: {
          author: "Ada",
          maxTokens: 50,
          config: { apiKey: "sk-live-1", nested: [{ PASSWORD: "hunter2" }, { ok: "fine" }] },
          headers: { Authorization: "Bearer abc.def", "X-Api-Key": "k-2", Cookie: "sid=3" },
          github_token: "ghp_4",
          credentials: { user: "u", pass: "x" },
        },
        _meta: { progressToken: 7 },
      }),
    );
    tracer.fromServer(
      ctx,
      ok(1, { content: [{ type: "text", text: "ok" }], session: { client_secret: "cs-5" } }),
    );
    await tracer.flush();

    const [row] = await stored(serverId);
    const text = JSON.stringify(row);
    for (const secret of ["sk-live-1", "hunter2", "abc.def", "k-2", "sid=3", "ghp_4", "cs-5"]) {
      expect(text).not.toContain(secret);
    }
    expect(row?.params).toEqual({
      name: "deploy",
      arguments: {
        author: "Ada",
        maxTokens: 50,
        config: { apiKey: "[redacted]", nested: [{ PASSWORD: "[redacted]" }, { ok: "fine" }] },
        headers: { Authorization: "[redacted]", "X-Api-Key": "[redacted]", Cookie: "[redacted]" },
        github_token: "[redacted]",
        credentials: "[redacted]",
      },
      _meta: { progressToken: 7 },
    });
    expect(row?.result).toEqual({
      content: [{ type: "text", text: "ok" }],
      session: { client_secret: "[redacted]" },
    });
  });

  it("stores a preview of params and results over the size cap", async () => {
    const serverId = await newServer();
    const { tracer } = setup({ maxBytes: 256 });
    const ctx: TraceContext = { serverId, sessionId: "ses_big" };
    const big = { contents: [{ uri: "file:///big", text: "é".repeat(1000), token: "t-9" }] };
    tracer.fromClient(ctx, req(1, "resources/read", { uri: "file:///big" }));
    tracer.fromServer(ctx, ok(1, big));
    await tracer.flush();

    const [row] = await stored(serverId);
    expect(row?.params).toEqual({ uri: "file:///big" });
    const redactedJson = JSON.stringify({
      contents: [{ uri: "file:///big", text: "é".repeat(1000), token: "[redacted]" }],
    });
    expect(row?.result).toEqual({
      truncated: true,
      bytes: Buffer.byteLength(redactedJson),
      preview: redactedJson.slice(0, 256),
    });
  });

  it("stores a large answer read only by its envelope as truncated, with its error flag", async () => {
    const serverId = await newServer();
    const { tracer } = setup({ maxBytes: 256 });
    const ctx: TraceContext = { serverId, sessionId: "ses_envelope" };
    // The secret comes first, so the preview shows it redacted.
    const result = {
      _meta: { apiKey: "k-1" },
      content: [{ type: "text", text: "x".repeat(100_000) }],
      isError: true,
    };
    const resultJson = JSON.stringify(result);
    tracer.fromClient(ctx, req(1, "tools/call", { name: "dump" }));
    // What the proxy's tap reports for a long SSE event (proxy-trace.ts).
    const message = envelopeOf(Buffer.from(`{"jsonrpc":"2.0","id":1,"result":${resultJson}}`));
    tracer.fromServer(ctx, message as JSONRPCMessage);
    await tracer.flush();

    const [row] = await stored(serverId);
    expect(row).toMatchObject({ method: "tools/call", target: "dump", isError: true });
    expect(row?.result).toEqual({
      truncated: true,
      bytes: Buffer.byteLength(resultJson),
      preview: resultJson.replace('"k-1"', '"[redacted]"').slice(0, 256),
    });
  });

  it("keeps traces whose text PostgreSQL's jsonb would refuse (NUL, lone surrogates)", async () => {
    const serverId = await newServer();
    const { tracer, errors } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_nul" };
    tracer.fromClient(
      ctx,
      req(1, "tools/call", { name: "bin\u0000ary", arguments: { "k\u0000": 1 } }),
    );
    tracer.fromServer(ctx, ok(1, { content: [{ type: "text", text: "a\u0000b\uD800c" }] }));
    await tracer.flush();
    expect(errors).toEqual([]);
    const [row] = await stored(serverId);
    expect(row?.target).toBe("bin\uFFFDary");
    expect(row?.result).toEqual({ content: [{ type: "text", text: "a\uFFFDb\uFFFDc" }] });
  });

  it("records client notifications without result or latency, and no server notifications", async () => {
    const serverId = await newServer();
    const { tracer, registry } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_n", client: { name: "c", version: "1" } };
    tracer.fromClient(ctx, note("notifications/initialized"));
    tracer.fromClient(ctx, note("notifications/roots/list_changed"));
    tracer.fromServer(ctx, note("notifications/progress", { progressToken: 1, progress: 5 }));
    tracer.fromServer(ctx, note("notifications/progress", { progressToken: 1, progress: 6 }));
    tracer.fromServer(ctx, note("notifications/message", { level: "info", data: "hello" }));
    tracer.fromServer(ctx, note("notifications/tools/list_changed"));
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows.map((r) => r.method)).toEqual([
      "notifications/initialized",
      "notifications/roots/list_changed",
    ]);
    expect(rows[0]).toMatchObject({ direction: "client", result: null, latencyMs: null });
    const count = (method: string, direction: string) =>
      metricValue(registry, "mcphost_mcp_notifications_total", {
        server: serverId,
        method,
        direction,
      });
    expect(await count("notifications/progress", "server")).toBe(2);
    expect(await count("notifications/message", "server")).toBe(1);
    expect(await count("notifications/initialized", "client")).toBe(1);
  });
});

describe("requests without an answer", () => {
  it("records a cancelled request once, and ignores a late answer", async () => {
    const serverId = await newServer();
    const { tracer, registry } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_c" };
    tracer.fromClient(ctx, req(5, "tools/call", { name: "slow" }));
    tracer.fromClient(ctx, note("notifications/cancelled", { requestId: 5, reason: "timeout" }));
    tracer.fromServer(ctx, ok(5, { content: [] }));
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows.map((r) => r.method)).toEqual(["tools/call", "notifications/cancelled"]);
    expect(rows[0]).toMatchObject({
      target: "slow",
      error: { code: -32800, message: "cancelled" },
      isError: true,
      result: null,
    });
    expect(rows[1]?.params).toEqual({ requestId: 5, reason: "timeout" });
    expect(
      await metricValue(registry, "mcphost_mcp_requests_total", {
        server: serverId,
        method: "tools/call",
        outcome: "cancelled",
      }),
    ).toBe(1);
  });

  it("records what is pending when a session ends, and forgets it", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_e" };
    const oneOff: TraceContext = { serverId, sessionId: null };
    tracer.fromClient(ctx, req(1, "tools/call", { name: "hang" }));
    tracer.fromServer(ctx, req(9, "elicitation/create", { message: "Sure?" }));
    tracer.fromClient(oneOff, req(1, "tools/list"));
    tracer.sessionEnded(ctx);
    tracer.sessionEnded(oneOff);
    tracer.fromServer(ctx, ok(1, { content: [] })); // too late: the session is gone
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows.map((r) => [r.method, r.direction, r.error?.message])).toEqual([
      ["tools/call", "client", "session ended before a response"],
      ["elicitation/create", "server", "session ended before a response"],
      ["tools/list", "client", "session ended before a response"],
    ]);
    expect(rows.every((r) => r.error?.code === -32000 && r.isError)).toBe(true);
  });

  it("keeps at most maxPendingPerSession waiting, recording the oldest as abandoned", async () => {
    const serverId = await newServer();
    const { tracer } = setup({ maxPendingPerSession: 3 });
    const ctx: TraceContext = { serverId, sessionId: "ses_p" };
    for (let id = 1; id <= 5; id++)
      tracer.fromClient(ctx, req(id, "tools/call", { name: `t${id}` }));
    tracer.fromServer(ctx, ok(1, { content: [] })); // already abandoned
    tracer.fromServer(ctx, ok(5, { content: [] }));
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows.map((r) => [r.target, r.error?.message.startsWith("abandoned") ?? false])).toEqual([
      ["t1", true],
      ["t2", true],
      ["t5", false],
    ]);
  });
});

describe("metrics", () => {
  it("counts requests by outcome, times them, and labels unknown methods other", async () => {
    const serverId = await newServer();
    const { tracer, registry } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_m" };
    tracer.fromClient(ctx, req(1, "tools/call", { name: "a" }));
    tracer.fromServer(ctx, ok(1, { content: [] }));
    tracer.fromClient(ctx, req(2, "tools/call", { name: "b" }));
    tracer.fromServer(ctx, ok(2, { content: [{ type: "text", text: "boom" }], isError: true }));
    tracer.fromClient(ctx, req(3, "tools/call", { name: "c" }));
    tracer.fromServer(ctx, { jsonrpc: "2.0", id: 3, error: { code: -32602, message: "bad" } });
    tracer.fromClient(ctx, req(4, "x-vendor/thing"));
    tracer.fromServer(ctx, ok(4, {}));
    await tracer.flush();

    const requests = (method: string, outcome: string) =>
      metricValue(registry, "mcphost_mcp_requests_total", { server: serverId, method, outcome });
    expect(await requests("tools/call", "ok")).toBe(1);
    expect(await requests("tools/call", "error")).toBe(2);
    expect(await requests("other", "ok")).toBe(1);
    expect(
      await metricValue(
        registry,
        "mcphost_mcp_request_duration_seconds",
        { server: serverId, method: "tools/call" },
        "mcphost_mcp_request_duration_seconds_count",
      ),
    ).toBe(3);
    const text = await registry.metrics();
    expect(text).not.toContain("x-vendor/thing");
    expect(text).toContain('le="60"');

    const [tool] = await stored(serverId).then((rows) => rows.filter((r) => r.target === "b"));
    expect(tool?.isError).toBe(true);
    expect(tool?.method).toBe("tools/call");
  });

  it("reports open sessions per server from the session store, dropping ended ones", async () => {
    const sessions = new Map<string, GatewaySession>();
    const store: SessionStore = {
      get: (id) => sessions.get(id),
      put: (s) => void sessions.set(s.id, s),
      touch: () => {},
      delete: (id) => void sessions.delete(id),
      listByServer: (serverId) => [...sessions.values()].filter((s) => s.serverId === serverId),
      countByServer: (serverId) => store.listByServer(serverId).length,
      idleSince: () => [],
      all: () => [...sessions.values()],
    };
    const session = (id: string, serverId: string): GatewaySession => ({
      id,
      serverId,
      credentialId: "public",
      transport: "streamable",
      upstream: "instance",
      createdAt: new Date(),
      lastActiveAt: new Date(),
    });
    const { registry } = setup({}, { sessions: store });
    store.put(session("s1", "srv_x"));
    store.put(session("s2", "srv_x"));
    store.put(session("s3", "srv_y"));
    const active = (server: string) =>
      metricValue(registry, "mcphost_mcp_active_sessions", { server });
    expect(await active("srv_x")).toBe(2);
    expect(await active("srv_y")).toBe(1);

    store.delete("s3");
    store.delete("s1");
    expect(await active("srv_x")).toBe(1);
    expect(await active("srv_y")).toBeUndefined();
  });
});

describe("storage", () => {
  it("publishes stored invocations with their ids and keeps only the newest per server", async () => {
    const serverId = await newServer();
    const { tracer } = setup({ retention: 100, pruneIntervalMs: 0, batchSize: 40 });
    const published: Invocation[] = [];
    tracer.onInvocations(serverId, (items) => published.push(...items));
    const ctx: TraceContext = { serverId, sessionId: "ses_k" };
    for (let i = 1; i <= 150; i++) {
      tracer.fromClient(ctx, req(i, "tools/call", { name: `t${i}` }));
      tracer.fromServer(ctx, ok(i, { content: [] }));
    }
    await tracer.flush();

    const rows = await stored(serverId);
    expect(rows).toHaveLength(100);
    expect(rows[0]?.target).toBe("t51");
    expect(rows.at(-1)?.target).toBe("t150");
    expect(published).toHaveLength(150);
    expect(published.at(-1)).toEqual(rows.at(-1));
    const ids = published.map((p) => p.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("filters by time as well as by method, target, errors and session", async () => {
    const serverId = await newServer();
    const { tracer } = setup();
    const ctx: TraceContext = { serverId, sessionId: "ses_t" };
    tracer.fromClient(ctx, req(1, "tools/call", { name: "early" }));
    tracer.fromServer(ctx, ok(1, { content: [] }));
    clock.advance(60_000);
    const later = clock.now();
    tracer.fromClient(ctx, req(2, "tools/call", { name: "late" }));
    tracer.fromServer(ctx, ok(2, { content: [] }));
    await tracer.flush();
    const since = await store.invocations.list({ serverId, since: later, limit: 10 });
    const until = await store.invocations.list({
      serverId,
      until: new Date(later.getTime() - 1),
      limit: 10,
    });
    expect(since.map((r) => r.target)).toEqual(["late"]);
    expect(until.map((r) => r.target)).toEqual(["early"]);
  });

  it("never throws into the gateway: bad messages are ignored, failed writes reported", async () => {
    const serverId = await newServer();
    const failing: InvocationRepository = {
      insertMany: () => Promise.reject(new Error("database down")),
      list: () => Promise.resolve([]),
      prune: () => Promise.resolve(),
      summarize: () => Promise.reject(new Error("database down")),
    };
    const { tracer, errors } = setup({}, { repository: failing });
    const ctx: TraceContext = { serverId, sessionId: "ses_x" };
    const odd = [null, 42, "text", [], { id: {} }, { method: 7 }, { jsonrpc: "2.0", id: 1 }];
    for (const message of odd) {
      expect(() => tracer.fromClient(ctx, message as never)).not.toThrow();
      expect(() => tracer.fromServer(ctx, message as never)).not.toThrow();
    }
    expect(() => tracer.sessionEnded(null as never)).not.toThrow();
    tracer.fromClient(ctx, note("notifications/initialized"));
    await expect(tracer.flush()).resolves.toBeUndefined();
    expect(errors.map((e) => (e as Error).message)).toContain("database down");
  });
});
