import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvocationRepository } from "../../src/db/repositories/invocation-repository.js";
import { createServerStatsRepository } from "../../src/db/repositories/server-stats-repository.js";
import type { NewInvocation } from "../../src/domain/traces/ports.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { idleServer, npmServer, waitForStatus } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * What the dashboard's charts read: MCP calls per time bucket with latency percentiles, and the
 * CPU and memory history the worker's sampler stores. Invocations are written straight to the
 * database at chosen times and latencies, so every number can be checked exactly; samples come
 * from a real running server, taken by driving the sampler directly (no waiting for its timer).
 */
let s: TestServer;
let alice: ApiClient;
let bob: ApiClient;
let traced: string;

const T0 = Date.parse("2026-01-01T10:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

function invocation(
  serverId: string,
  seconds: number,
  latencyMs: number | null,
  extra: Partial<NewInvocation> = {},
): NewInvocation {
  return {
    serverId,
    sessionId: "ses_chart",
    clientName: "test",
    clientVersion: "1",
    direction: "client",
    method: latencyMs === null ? "notifications/initialized" : "tools/call",
    target: "echo",
    params: {},
    result: {},
    error: null,
    isError: false,
    latencyMs,
    startedAt: at(seconds),
    ...extra,
  };
}

beforeAll(async () => {
  s = await startTestServer({
    runtimesFor: (dataDir) => ({ process: processRuntime(dataDir, { sandbox: false }) }),
    // The sampler's own timer stays out of the way: the tests take samples themselves.
    env: { MCPHOST_STATS_INTERVAL_SECONDS: "3600" },
  });
  alice = (await signUp(s.client(), "alice@example.com")).client; // the first account: admin
  bob = (await signUp(s.client(), "bob@example.com")).client;
  traced = (await alice.post("/api/servers", npmServer("Charted"))).body.id;
  const other = (await alice.post("/api/servers", npmServer("Elsewhere"))).body.id;
  const failed = { isError: true, error: { code: -32000, message: "boom" } };
  await createInvocationRepository(s.database.db).insertMany([
    // 10:00-10:01: three calls (one failed); a notification and the server's own request do not count.
    invocation(traced, 5, 10),
    invocation(traced, 20, 20, failed),
    invocation(traced, 59.5, 30),
    invocation(traced, 30, null),
    invocation(traced, 40, 5, { direction: "server", method: "sampling/createMessage" }),
    // 10:02-10:03: two calls, one failed.
    invocation(traced, 130, 100),
    invocation(traced, 170, 200, failed),
    // At `until`: outside the range.
    invocation(traced, 300, 1),
    // Another server's call.
    invocation(other, 10, 999),
  ]);
}, 60_000);
afterAll(() => s?.close());

const summary = (query: string, client = alice, serverId = traced) =>
  client.get(`/api/servers/${serverId}/invocations/summary${query}`);

describe("the invocation summary", () => {
  it("counts calls and errors per bucket with latency percentiles, empty buckets zero", async () => {
    const res = await summary(`?since=${iso(0)}&until=${iso(300)}&bucketSeconds=60`);
    expect(res.status).toBe(200);
    const { bucketSeconds, buckets, totals } = res.body;
    expect(bucketSeconds).toBe(60);
    expect(buckets.map((b: any) => b.start)).toEqual([0, 60, 120, 180, 240].map(iso));
    expect(buckets.map((b: any) => [b.calls, b.errors])).toEqual([
      [3, 1],
      [0, 0],
      [2, 1],
      [0, 0],
      [0, 0],
    ]);
    // percentile_cont interpolates: over 10, 20, 30 the 95th lies at 1.9 → 29.
    expect(buckets[0].p50Ms).toBeCloseTo(20);
    expect(buckets[0].p95Ms).toBeCloseTo(29);
    expect(buckets[0].p99Ms).toBeCloseTo(29.8);
    expect(buckets[1]).toEqual({
      start: iso(60),
      calls: 0,
      errors: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
    expect(buckets[2].p50Ms).toBeCloseTo(150);
    // Over 10, 20, 30, 100, 200: the 95th at 3.8 → 180, the 99th at 3.96 → 196.
    expect(totals).toMatchObject({ calls: 5, errors: 2 });
    expect(totals.p50Ms).toBeCloseTo(30);
    expect(totals.p95Ms).toBeCloseTo(180);
    expect(totals.p99Ms).toBeCloseTo(196);
  });

  it("aligns buckets to whole multiples of their size, the first starting before `since`", async () => {
    const res = await summary(`?since=${iso(90)}&until=${iso(200)}&bucketSeconds=120`);
    expect(res.status).toBe(200);
    expect(res.body.buckets.map((b: any) => [b.start, b.calls])).toEqual([
      [iso(0), 0], // the bucket's calls before `since` are not counted
      [iso(120), 2],
    ]);
    expect(res.body.totals.calls).toBe(2);
  });

  it("defaults to the last hour by the minute", async () => {
    const res = await summary("");
    expect(res.status).toBe(200);
    expect(res.body.bucketSeconds).toBe(60);
    expect(res.body.buckets.length).toBeGreaterThanOrEqual(60);
    expect(res.body.buckets.length).toBeLessThanOrEqual(61);
    expect(res.body.totals).toEqual({ calls: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null });
  });

  it("refuses bad ranges and sizes naming the field, strangers and anonymous callers", async () => {
    const field = async (query: string) => {
      const res = await summary(query);
      expect(res.status).toBe(400);
      expect(res.contentType).toContain("application/problem+json");
      return res.body.errors.map((e: any) => e.field);
    };
    expect(await field(`?since=${iso(60)}&until=${iso(0)}`)).toEqual(["since"]);
    expect(await field(`?since=${iso(0)}&until=${iso(0)}`)).toEqual(["since"]);
    expect(await field(`?since=${iso(0)}&until=${iso(7 * 86_400)}&bucketSeconds=60`)).toEqual([
      "bucketSeconds",
    ]);
    expect(await field("?bucketSeconds=5")).toEqual(["bucketSeconds"]);
    expect(await field("?bucketSeconds=86401")).toEqual(["bucketSeconds"]);
    expect(await field("?since=yesterday")).toEqual(["since"]);
    expect((await summary("", bob)).status).toBe(404);
    expect((await summary("", s.client())).status).toBe(401);
    expect((await summary("", alice, "srv_nonexistent")).status).toBe(404);
  });
});

describe("the CPU and memory history", () => {
  let running: string;
  const history = (query: string, client = alice) =>
    client.get(`/api/servers/${running}/stats/history${query}`);

  beforeAll(async () => {
    const created = await alice.post("/api/servers", idleServer("Sampled"));
    expect(created.status).toBe(201);
    running = created.body.id;
    await waitForStatus(alice, running, "running");
    // In session mode the server runs once its spare proved it; its main instance, the one
    // sampled, starts right behind.
    for (let tries = 0; ; tries++) {
      const stats = await alice.get(`/api/servers/${running}/stats`);
      if (stats.body.running === true) break;
      if (tries > 100) throw new Error("the server's instance was never sampled");
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);

  it("stores one sample per running server each time the sampler runs, and serves them", async () => {
    // A sample from before the retention period, deleted by the sampler's first pass.
    const old = new Date(Date.now() - 8 * 86_400_000);
    await createServerStatsRepository(s.database.db).insertMany([
      { serverId: running, time: old, cpuPercent: 1, memoryBytes: 1 },
    ]);
    const taken = [];
    for (let i = 0; i < 3; i++) {
      const samples = await s.mcphost.sampler.sampleAll();
      taken.push(...samples.filter((x) => x.serverId === running));
      await new Promise((r) => setTimeout(r, 5)); // distinct timestamps
    }
    expect(taken).toHaveLength(3);

    const res = await history(`?since=${new Date(Date.now() - 9 * 86_400_000).toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    expect(res.body.items.map((i: any) => i.time)).toEqual(taken.map((t) => t.time.toISOString()));
    for (const item of res.body.items) {
      expect(item.memoryBytes).toBeGreaterThan(0);
      expect(item.cpuPercent).toBeGreaterThanOrEqual(0);
    }
  });

  it("averages per bucket when asked, at the bucket's start", async () => {
    const raw = (await history("")).body.items as Array<{ time: string; memoryBytes: number }>;
    const res = await history("?bucketSeconds=86400");
    expect(res.status).toBe(200);
    const [bucket] = res.body.items;
    expect(res.body.items).toHaveLength(1);
    expect(Date.parse(bucket.time) % 86_400_000).toBe(0);
    const mean = raw.reduce((sum, r) => sum + r.memoryBytes, 0) / raw.length;
    expect(bucket.memoryBytes).toBeCloseTo(mean, -1);
  });

  it("has nothing for times the server did not run", async () => {
    expect((await history(`?since=${iso(0)}&until=${iso(3600)}`)).body.items).toEqual([]);
    expect((await alice.post(`/api/servers/${running}/stop`)).status).toBe(202);
    await waitForStatus(alice, running, "stopped");
    const samples = await s.mcphost.sampler.sampleAll();
    expect(samples.filter((x) => x.serverId === running)).toEqual([]);
  });

  it("refuses bad input, strangers and anonymous callers", async () => {
    const bad = await history(`?since=${iso(60)}&until=${iso(0)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(["since"]);
    expect(
      (await history(`?since=${iso(0)}&until=${iso(7 * 86_400)}&bucketSeconds=10`)).status,
    ).toBe(400);
    expect((await history("?bucketSeconds=1")).status).toBe(400);
    expect((await history("", bob)).status).toBe(404);
    expect((await history("", s.client())).status).toBe(401);
  });

  it("documents both routes", async () => {
    const doc = (await s.client().get("/api/openapi.json")).body;
    expect(doc.paths["/api/servers/{serverId}/invocations/summary"].get.summary).toBeTruthy();
    expect(doc.paths["/api/servers/{serverId}/stats/history"].get.summary).toBeTruthy();
  });
});
