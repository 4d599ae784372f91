import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { bearer, initializeRequest, postRpc, responseTo, textOf } from "../support/mcp-clients.js";
import { waitForStatus } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { freePort, startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The reverse proxy writes an upstream's answer to the client as it comes: what would break if it
 * buffered (SSE events held back until the stream ends) or forgot the client (an upstream left
 * streaming to nobody).
 */

/**
 * A Streamable HTTP server (a host command) whose `slow` tool answers with an event stream: one
 * log notification every `interval` ms, `count` of them, then the result. Its `aborted` tool
 * tells how many of those streams were cut off by the gateway before they ended. Its `hang` tool
 * never answers; `hangs` tells how many such calls arrived and how many were then given up.
 * `flood` answers with 128 MiB of JSON, written as fast as the connection takes it; `flooded`
 * tells how much of it was written so far. `broken` sends one event and then drops the connection.
 */
const SLOW_SSE = `
const http = require("node:http");
let aborted = 0;
let hangs = 0;
let givenUp = 0;
let flooded = 0;
http.createServer((req, res) => {
  if (req.method !== "POST") { res.writeHead(405).end(); return; }
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    const msg = JSON.parse(raw);
    if (msg.id === undefined) { res.writeHead(202).end(); return; }
    const json = (result, headers = {}) =>
      res.writeHead(200, { "content-type": "application/json", ...headers })
        .end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }));
    if (msg.method === "initialize") return json({ protocolVersion: msg.params.protocolVersion,
      capabilities: { tools: {} }, serverInfo: { name: "slow-sse", version: "1.0.0" } },
      { "mcp-session-id": "slow-session" });
    const args = msg.params?.arguments ?? {};
    if (msg.params?.name === "aborted")
      return json({ content: [{ type: "text", text: String(aborted) }] });
    if (msg.params?.name === "hangs")
      return json({ content: [{ type: "text", text: hangs + " " + givenUp }] });
    if (msg.params?.name === "flooded")
      return json({ content: [{ type: "text", text: String(flooded) }] });
    if (msg.params?.name === "flood") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"jsonrpc":"2.0","id":' + msg.id + ',"result":{"content":[{"type":"text","text":"');
      const chunk = "x".repeat(64 * 1024);
      const more = () => {
        while (flooded < 128 * 1024 * 1024) {
          flooded += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end('"}]}}');
      };
      res.on("close", () => res.off("drain", more));
      return more();
    }
    if (msg.params?.name === "broken") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("event: message\\ndata: " + JSON.stringify({ jsonrpc: "2.0",
        method: "notifications/message", params: { level: "info", data: "event 1" } }) + "\\n\\n");
      setTimeout(() => res.socket.destroy(), 50);
      return;
    }
    if (msg.params?.name === "hang") {
      hangs++;
      res.on("close", () => givenUp++);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (m) => res.write("event: message\\ndata: " + JSON.stringify(m) + "\\n\\n");
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < args.count) {
        send({ jsonrpc: "2.0", method: "notifications/message",
          params: { level: "info", data: "event " + ++sent } });
        return;
      }
      clearInterval(timer);
      send({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "done" }] } });
      res.end();
    }, args.interval);
    res.on("close", () => {
      if (!res.writableFinished) aborted++;
      clearInterval(timer);
    });
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.error("slow-sse ready"));
`;

let s: TestServer;
let owner: ApiClient;
let serverId: string;
let url: string;
let headers: Record<string, string>;

const callTool = async (id: number, name: string) =>
  textOf(
    responseTo(
      await postRpc(
        url,
        { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } },
        headers,
      ),
      id,
    ).result,
  );

/** Starts a `tools/call` and gives the raw answer, its body still to read. */
const startCall = (
  id: number,
  name: string,
  args: Record<string, unknown> = {},
  signal?: AbortSignal,
) =>
  fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name, arguments: args },
    }),
    signal,
  });

const callSlow = (count: number, interval: number, signal?: AbortSignal) =>
  startCall(2, "slow", { count, interval }, signal);

/** Reads an event stream, noting when each complete event arrived. */
async function* eventsOf(res: Response): AsyncGenerator<{ data: string; at: number }> {
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream());
  let buffered = "";
  for await (const text of reader) {
    buffered += text;
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const data = /^data: (.*)$/m.exec(buffered.slice(0, end))?.[1];
      buffered = buffered.slice(end + 2);
      if (data) yield { data, at: performance.now() };
      end = buffered.indexOf("\n\n");
    }
  }
}

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  // The first account is the admin: only admins may run host commands.
  owner = (await signUp(s.client(), "owner@example.com")).client;
  const created = await owner.post("/api/servers", {
    name: "Slow SSE",
    source: { type: "command", command: process.execPath, args: ["-e", SLOW_SSE] },
    transport: { type: "http", port: await freePort(), path: "/mcp" },
    runtime: "process",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  serverId = created.body.id;
  await waitForStatus(owner, serverId, "running");
  url = `${s.url}/mcp/${created.body.slug}`;
  const init = await postRpc(url, initializeRequest(0), bearer(created.body.apiKey));
  expect(init.status, init.text).toBe(200);
  headers = {
    ...bearer(created.body.apiKey),
    accept: "application/json, text/event-stream",
    "mcp-session-id": init.headers.get("mcp-session-id") as string,
  };
}, 120_000);
afterAll(() => s?.close());

describe("the reverse proxy streams", () => {
  it("passes each SSE event on as it comes, not when the stream ends", async () => {
    const res = await callSlow(3, 300);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events: { data: string; at: number }[] = [];
    for await (const event of eventsOf(res)) events.push(event);
    expect(events.map((e) => JSON.parse(e.data).params?.data ?? "result")).toEqual([
      "event 1",
      "event 2",
      "event 3",
      "result",
    ]);
    // The upstream spaces them 300 ms apart; buffered, they would all arrive together.
    const gaps = events.slice(1).map((e, i) => e.at - (events[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThan(150);
    // The tracer read the call and its answer off the forwarded stream.
    await expect
      .poll(async () => {
        const listed = await owner.get(`/api/servers/${serverId}/invocations?tool=slow`);
        return listed.body.items?.[0];
      })
      .toMatchObject({
        sessionId: "slow-session",
        method: "tools/call",
        target: "slow",
        result: { content: [{ type: "text", text: "done" }] },
        isError: false,
      });
  });

  it("aborts the upstream request when the client goes away mid-stream", async () => {
    const client = new AbortController();
    const res = await callSlow(100, 50, client.signal);
    const first = await eventsOf(res).next();
    expect(JSON.parse(first.value?.data ?? "{}").params?.data).toBe("event 1");
    client.abort();
    await expect
      .poll(async () => {
        const answer = await postRpc(
          url,
          {
            jsonrpc: "2.0",
            id: 3,
            method: "tools/call",
            params: { name: "aborted", arguments: {} },
          },
          headers,
        );
        return textOf(responseTo(answer, 3).result);
      })
      .toBe("1");
  });

  it("aborts the upstream request when the client goes away before the answer begins", async () => {
    const client = new AbortController();
    const call = startCall(5, "hang", {}, client.signal).catch(() => undefined);
    await expect.poll(() => callTool(6, "hangs")).toBe("1 0");
    client.abort();
    await call;
    // Not left waiting on the upstream for undici's five-minute headers timeout.
    await expect.poll(() => callTool(7, "hangs")).toBe("1 1");
  });

  it("reads an answer from the upstream only as fast as the client takes it", async () => {
    const res = await startCall(8, "flood");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    // The client reads no more: what the upstream could write is what the sockets buffer.
    await new Promise((r) => setTimeout(r, 500));
    const written = Number(await callTool(9, "flooded"));
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(32 * 1024 * 1024);
    await reader.cancel();
  });

  it("cuts the client's connection when the upstream breaks off mid-answer", async () => {
    const res = await startCall(10, "broken");
    expect(res.status).toBe(200);
    // A truncated answer must not look complete: the body fails instead of ending.
    await expect(res.text()).rejects.toThrow();
  });

  it("refuses a body over 4 MiB with a problem, declared or chunked", async () => {
    const piece = new TextEncoder().encode(`"${"x".repeat(1024 * 1024)}",`);
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        // No Content-Length: the limit must be counted on the bytes as they come.
        controller.enqueue(sent++ === 0 ? new TextEncoder().encode("[") : piece);
        if (sent > 6) controller.close();
      },
    });
    const declared = `["${"x".repeat(5 * 1024 * 1024)}"]`;
    for (const body of [chunked, declared]) {
      const res = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    }
  });
});
