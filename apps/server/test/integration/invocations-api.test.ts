import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceContext } from "../../src/gateway/ports.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { readSse } from "../support/sse-client.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Traces of MCP requests through the API: messages are fed to the tracer the way the gateway
 * does, then read back as a user would (list, filters, pages, live feed).
 */
let s: TestServer;
let alice: ApiClient;
let bob: ApiClient;
let cookie: string;
let serverId: string;
let nextId = 1000;

const SECRET = "sk-live-do-not-store-0123";

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  await signUp(s.client(), "admin@example.com"); // the first account is the admin, who sees all
  alice = (await signUp(s.client(), "alice@example.com")).client;
  bob = (await signUp(s.client(), "bob@example.com")).client;
  cookie = `mcphost_session=${alice.cookie("mcphost_session")}`;
  const created = await alice.post("/api/servers", {
    name: "Traced",
    source: { type: "npm", package: "@modelcontextprotocol/server-everything" },
    transport: "stdio",
    runtime: "process",
    start: false,
  });
  expect(created.status).toBe(201);
  serverId = created.body.id;

  const one = session("ses_one", "claude-desktop");
  const two = session("ses_two", "cursor");
  call(one, "tools/call", { name: "search", arguments: { q: "cats" } }, { content: [] });
  call(one, "tools/call", { name: "search", arguments: { q: "dogs" } }, { content: [] });
  call(
    two,
    "tools/call",
    { name: "deploy", arguments: { env: { API_KEY: SECRET }, password: SECRET } },
    { content: [{ type: "text", text: "quota exceeded" }], isError: true },
  );
  call(two, "resources/read", { uri: "file:///notes.md" }, { contents: [] });
  call(two, "prompts/get", { name: "summarize" }, { messages: [] });
  await s.mcphost.traces.flush();
}, 60_000);
afterAll(() => s?.close());

function session(sessionId: string, client: string): TraceContext {
  return { serverId, sessionId, client: { name: client, version: "1.0.0" } };
}

/** A request from the client and the server's answer, as the gateway reports them. */
function call(ctx: TraceContext, method: string, params: Record<string, unknown>, result: object) {
  const id = nextId++;
  s.mcphost.traces.fromClient(ctx, { jsonrpc: "2.0", id, method, params });
  s.mcphost.traces.fromServer(ctx, { jsonrpc: "2.0", id, result: result as never });
}

const list = (query = "") => alice.get(`/api/servers/${serverId}/invocations${query}`);

describe("listing invocations", () => {
  it("lists requests newest first with what was asked, answered and how long it took", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.target)).toEqual([
      "summarize",
      "file:///notes.md",
      "deploy",
      "search",
      "search",
    ]);
    expect(res.body.nextBefore).toBeNull();
    const search = res.body.items.at(-1);
    expect(search).toMatchObject({
      serverId,
      sessionId: "ses_one",
      clientName: "claude-desktop",
      clientVersion: "1.0.0",
      direction: "client",
      method: "tools/call",
      params: { name: "search", arguments: { q: "cats" } },
      result: { content: [] },
      error: null,
      isError: false,
    });
    expect(search.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(search.startedAt)).not.toBeNaN();
  });

  it("filters by method, tool, errors and session", async () => {
    const targets = async (query: string) =>
      (await list(query)).body.items.map((i: any) => i.target);
    expect(await targets("?method=resources/read")).toEqual(["file:///notes.md"]);
    expect(await targets("?tool=search")).toEqual(["search", "search"]);
    expect(await targets("?error=true")).toEqual(["deploy"]);
    expect(await targets("?session=ses_one&method=tools/call")).toEqual(["search", "search"]);
    expect(await targets("?tool=nothing-like-it")).toEqual([]);
  });

  it("pages back with the nextBefore cursor until the oldest", async () => {
    const first = await list("?limit=2");
    expect(first.body.items.map((i: any) => i.target)).toEqual(["summarize", "file:///notes.md"]);
    const second = await list(`?limit=2&before=${first.body.nextBefore}`);
    expect(second.body.items.map((i: any) => i.target)).toEqual(["deploy", "search"]);
    const third = await list(`?limit=2&before=${second.body.nextBefore}`);
    expect(third.body.items).toHaveLength(1);
    expect(third.body.nextBefore).toBeNull();
  });

  it("never shows a redacted secret", async () => {
    const res = await list("?tool=deploy");
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(res.body.items[0]).toMatchObject({
      isError: true,
      params: { arguments: { env: { API_KEY: "[redacted]" }, password: "[redacted]" } },
    });
    const feed = await readSse(
      `${s.url}/api/servers/${serverId}/invocations/stream?after=0`,
      { cookie },
      (m) => m.length >= 5,
    );
    expect(feed).toHaveLength(5);
    expect(JSON.stringify(feed)).not.toContain(SECRET);
  });

  it("counts requests per server in /metrics and documents the routes", async () => {
    const metrics = (await s.client().get("/metrics")).body as string;
    const series = (method: string, outcome: string) =>
      `mcphost_mcp_requests_total{server="${serverId}",method="${method}",outcome="${outcome}"}`;
    expect(metrics).toContain(`${series("tools/call", "ok")} 2`);
    expect(metrics).toContain(`${series("tools/call", "error")} 1`);
    expect(metrics).toContain(`${series("resources/read", "ok")} 1`);
    expect(metrics).toContain("mcphost_mcp_request_duration_seconds_bucket");
    const doc = (await s.client().get("/api/openapi.json")).body;
    expect(doc.paths["/api/servers/{serverId}/invocations"].get.summary).toBeTruthy();
    expect(doc.paths["/api/servers/{serverId}/invocations/stream"].get.summary).toBeTruthy();
  });

  it("refuses bad input, strangers and anonymous callers", async () => {
    expect((await list("?limit=0")).status).toBe(400);
    expect((await list("?error=maybe")).status).toBe(400);
    expect((await list("?before=-1")).status).toBe(400);
    expect((await bob.get(`/api/servers/${serverId}/invocations`)).status).toBe(404);
    expect((await bob.get(`/api/servers/${serverId}/invocations/stream`)).status).toBe(404);
    expect((await s.client().get(`/api/servers/${serverId}/invocations`)).status).toBe(401);
    expect((await alice.get("/api/servers/srv_nonexistent/invocations")).status).toBe(404);
  });
});

describe("the live feed", () => {
  it("streams new invocations and resumes after Last-Event-ID without gaps or repeats", async () => {
    const newest = (await list("?limit=1")).body.items[0].id as number;
    const ctx = session("ses_live", "inspector");
    const url = `${s.url}/api/servers/${serverId}/invocations/stream`;

    // Connected: three calls arrive live (they are written while the stream is open).
    const first = readSse(`${url}?after=${newest}`, { cookie }, (m) => m.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    for (const n of [1, 2, 3]) call(ctx, "tools/call", { name: `live-${n}` }, { content: [] });
    await s.mcphost.traces.flush();
    const seen = await first;
    expect(seen.map((m) => m.data.target)).toEqual(["live-1", "live-2", "live-3"]);
    expect(seen.every((m) => m.event === "invocation" && Number(m.id) === m.data.id)).toBe(true);

    // Away: two more are stored. Back, on the base path with Accept: text/event-stream: the two
    // are replayed, then two more arrive live.
    for (const n of [4, 5]) call(ctx, "tools/call", { name: `live-${n}` }, { content: [] });
    await s.mcphost.traces.flush();
    const second = await readSse(
      `${s.url}/api/servers/${serverId}/invocations`,
      { cookie, "last-event-id": seen.at(-1)?.id as string },
      (m) => {
        if (m.length === 2) {
          for (const n of [6, 7]) call(ctx, "tools/call", { name: `live-${n}` }, { content: [] });
          void s.mcphost.traces.flush();
        }
        return m.length >= 4;
      },
    );
    expect(second.map((m) => m.data.target)).toEqual(["live-4", "live-5", "live-6", "live-7"]);

    const ids = [...seen, ...second].map((m) => Number(m.id));
    const stored = (await list(`?session=ses_live&limit=100`)).body.items
      .map((i: any) => i.id)
      .reverse();
    expect(ids).toEqual(stored);
  });

  it("applies the list filters to the feed", async () => {
    const feed = await readSse(
      `${s.url}/api/servers/${serverId}/invocations/stream?after=0&session=ses_two`,
      { cookie },
      (m) => m.length >= 3,
      2_000,
    );
    expect(feed.map((m) => m.data.method)).toEqual(["tools/call", "resources/read", "prompts/get"]);
  });
});
