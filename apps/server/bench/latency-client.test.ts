import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedLoop, LatencyClient, openLoop } from "./latency-client.js";

/**
 * A Streamable HTTP server as the SDK's behaves: `initialize` answered in JSON with a session id,
 * tool calls answered as an SSE stream with a priming event and a notification before the response.
 */
function startServer() {
  const seen: Array<{ method: string | undefined; headers: IncomingHttpHeaders; body: string }> =
    [];
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.method === "DELETE") return void res.writeHead(200).end();
      const message = JSON.parse(body);
      if (failNext > 0) {
        failNext--;
        return void res.writeHead(500).end("boom");
      }
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === "initialize") {
        res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "s-1" });
        return void res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: message.id,
            result: { protocolVersion: "2025-06-18" },
          }),
        );
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("id: p\ndata: \n\n");
      res.write(`data: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/message" })}\n\n`);
      const result = { content: [{ type: "text", text: "Echo: hello" }] };
      res.end(
        `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: message.id, result })}\n\n`,
      );
    });
  });
  return {
    seen,
    failNext: (n: number) => (failNext = n),
    server,
    listening: new Promise<string>((resolve) =>
      server.listen(0, "127.0.0.1", () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`),
      ),
    ),
  };
}

describe("the latency client", () => {
  const upstream = startServer();
  let client: LatencyClient;

  beforeAll(async () => {
    client = new LatencyClient({
      url: await upstream.listening,
      headers: { authorization: "Bearer k" },
    });
  });
  afterAll(async () => {
    await client.close();
    upstream.server.close();
  });

  it("opens a session and carries its id, protocol version and the arm's headers", async () => {
    const session = await client.openSession();
    expect(session.id).toBe("s-1");
    const { response, ns } = await session.echo(4);
    expect(response.id).toBe(5);
    expect(ns).toBeGreaterThan(0n);
    await session.close();
    const [init, initialized, call, del] = upstream.seen.slice(-4);
    expect(init?.headers["mcp-session-id"]).toBeUndefined();
    expect(JSON.parse(initialized?.body ?? "").method).toBe("notifications/initialized");
    for (const later of [initialized, call, del]) {
      expect(later?.headers).toMatchObject({
        "mcp-session-id": "s-1",
        "mcp-protocol-version": "2025-06-18",
        authorization: "Bearer k",
      });
    }
    expect(call?.headers.accept).toBe("application/json, text/event-stream");
    expect(del?.method).toBe("DELETE");
  });

  it("runs a closed loop at a fixed concurrency and counts failures as errors", async () => {
    const session = await client.openSession();
    upstream.failNext(0);
    const ok = await closedLoop(session, { concurrency: 3, durationMs: 150, warmupMs: 20 });
    expect(ok.errors).toBe(0);
    expect(ok.requests).toBeGreaterThan(10);
    expect(ok.histogram.totalCount).toBe(ok.requests);
    upstream.failNext(2);
    const failing = await closedLoop(session, { concurrency: 1, durationMs: 100, warmupMs: 0 });
    expect(failing.errors).toBeGreaterThan(0);
    expect(failing.firstError).toContain("HTTP 500");
  });

  it("sends an open loop at the rate asked, whatever the answers take", async () => {
    const session = await client.openSession();
    const result = await openLoop(session, { rate: 200, durationMs: 250, warmupMs: 0 });
    expect(result.errors).toBe(0);
    expect(result.dropped).toBe(0);
    // 50 are due in 250 ms; a late timer sends what is due at once, so none go missing.
    expect(result.requests).toBe(50);
  });
});
