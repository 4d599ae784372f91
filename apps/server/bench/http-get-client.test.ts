import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedLoopGet, HttpGetClient } from "./http-get-client.js";

/** 300 KB of JSON at /list (past undici's 128 KiB dump limit); 500 at /broken. */
const BODY = JSON.stringify({
  items: Array.from({ length: 3000 }, (_, i) => ({ i, x: "y".repeat(80) })),
});

describe("HttpGetClient and closedLoopGet", () => {
  let server: Server;
  let client: HttpGetClient;
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === "/broken") return void res.writeHead(500).end("boom");
      res.writeHead(200, { "content-type": "application/json" }).end(BODY);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    client = new HttpGetClient(`http://127.0.0.1:${port}`, { authorization: "Bearer t" });
  });
  afterAll(async () => {
    await client.close();
    server.close();
  });

  it("reads whole answers, with the headers given, on kept-alive connections", async () => {
    const result = await closedLoopGet(() => client.get("/list"), {
      concurrency: 2,
      durationMs: 100,
      warmupMs: 20,
    });
    expect(result.errors).toBe(0);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.histogram.totalCount).toBe(result.requests);
    expect(result.bytes).toBe(Buffer.byteLength(BODY));
    expect(result.requestsPerSecond).toBeCloseTo(result.requests / result.elapsedSeconds);
    expect(seen.every((h) => h === "Bearer t")).toBe(true);
    expect(((await client.getJson("/list")) as { items: unknown[] }).items).toHaveLength(3000);
  });

  it("counts an error status as an error, with its message", async () => {
    const result = await closedLoopGet(() => client.get("/broken"), {
      concurrency: 1,
      durationMs: 30,
      warmupMs: 0,
    });
    expect(result.requests).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.firstError).toMatch(/HTTP 500: boom/);
  });
});
