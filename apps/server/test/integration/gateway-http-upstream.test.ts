import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  answerSampling,
  bearer,
  connectStreamable,
  type DeployedServer,
  deployEverything,
  EVERYTHING_NAME,
  initializeRequest,
  postRpc,
  responseTo,
  textOf,
} from "../support/mcp-clients.js";
import { waitForLog, waitForStatus } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { freePort, startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Servers that speak Streamable HTTP themselves: the gateway checks the credential and forwards
 * the HTTP exchange as it is, streams included, keeping the client's credentials to itself.
 */

/**
 * A minimal Streamable HTTP MCP server (a host command) with one tool, `headers`, that answers
 * with the request headers it received: what the gateway forwards, seen from the server.
 */
const HEADER_ECHO = `
const http = require("node:http");
let sessions = 0;
http.createServer((req, res) => {
  if (req.method !== "POST") { res.writeHead(405).end(); return; }
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    const msg = JSON.parse(raw);
    if (msg.id === undefined) { res.writeHead(202).end(); return; }
    const result = msg.method === "initialize"
      ? { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} },
          serverInfo: { name: "header-echo", version: "1.0.0" } }
      : msg.method === "tools/list"
        ? { tools: [{ name: "headers", inputSchema: { type: "object" } }] }
        : { content: [{ type: "text", text: JSON.stringify(req.headers) }] };
    const headers = { "content-type": "application/json" };
    if (msg.method === "initialize") headers["mcp-session-id"] = "upstream-session-" + ++sessions;
    res.writeHead(200, headers).end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }));
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.error("header-echo ready"));
`;

let s: TestServer;
let owner: ApiClient;
let everything: DeployedServer;
let echo: DeployedServer;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  // The first account is the admin: only admins may run host commands.
  owner = (await signUp(s.client(), "owner@example.com")).client;
  const [everythingPort, echoPort] = [await freePort(), await freePort()];
  const created = await owner.post("/api/servers", {
    name: "Header Echo",
    source: { type: "command", command: process.execPath, args: ["-e", HEADER_ECHO] },
    transport: { type: "http", port: echoPort, path: "/mcp" },
    runtime: "process",
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  [everything] = await Promise.all([
    deployEverything(owner, "Everything HTTP", {
      args: ["streamableHttp"],
      transport: { type: "http", port: everythingPort, path: "/mcp" },
    }),
    waitForStatus(owner, created.body.id, "running"),
  ]);
  echo = { id: created.body.id, slug: created.body.slug, apiKey: created.body.apiKey };
}, 120_000);
afterAll(() => s?.close());

describe("a server speaking Streamable HTTP, reverse-proxied", () => {
  it("serves initialize, tools and calls, with the server's own session id", async () => {
    const url = `${s.url}/mcp/${everything.slug}`;
    const { client, transport } = await connectStreamable(url, {
      headers: bearer(everything.apiKey),
      capabilities: { sampling: {} },
    });
    expect(client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
    // The session id is the one server-everything made (it logs each one it makes).
    const sessionId = transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await waitForLog(owner, everything.id, `Session initialized with ID: ${sessionId}`);

    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["echo", "trigger-sampling-request"]));
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "proxied" } }))).toBe(
      "Echo: proxied",
    );

    // Streams pass through as they come: progress, and a request from the server to the client.
    const progress: number[] = [];
    await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.9, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(progress).toEqual([1, 2, 3]);
    const asked = answerSampling(client, "proxied sample");
    const sampled = await client.callTool({
      name: "trigger-sampling-request",
      arguments: { prompt: "through the proxy" },
    });
    expect(asked).toEqual([expect.stringContaining("through the proxy")]);
    expect(textOf(sampled)).toContain("proxied sample");

    // Ending the session ends it upstream too; the gateway forgets it.
    await transport.terminateSession();
    await waitForLog(owner, everything.id, `session termination request for session ${sessionId}`);
    const after = await postRpc(
      url,
      { jsonrpc: "2.0", id: 3, method: "tools/list" },
      {
        ...bearer(everything.apiKey),
        "mcp-session-id": sessionId,
      },
    );
    expect(after.status).toBe(404);
    await client.close();
  });

  it("keeps the server's sessions to the credential that opened them", async () => {
    const url = `${s.url}/mcp/${everything.slug}`;
    const other = await owner.post(`/api/servers/${everything.id}/keys`, { name: "other" });
    const init = await postRpc(url, initializeRequest(0), bearer(everything.apiKey));
    const sessionId = init.headers.get("mcp-session-id") as string;
    expect(sessionId).toBeTruthy();
    const hijack = await postRpc(
      url,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      {
        ...bearer(other.body.key),
        "mcp-session-id": sessionId,
      },
    );
    expect(hijack.status).toBe(404);
    expect(hijack.text).not.toContain("echo");
    await fetch(url, {
      method: "DELETE",
      headers: { ...bearer(everything.apiKey), "mcp-session-id": sessionId },
    });
  });

  it("never forwards the client's key, token or cookies to the server", async () => {
    const url = `${s.url}/mcp/${echo.slug}`;
    const token = (await owner.post("/api/tokens", { name: "mcp", scopes: ["mcp"] })).body.token;
    for (const credential of [echo.apiKey, token]) {
      const headers = {
        ...bearer(credential),
        cookie: `mcphost_session=${credential}`,
        "x-api-key": "not-forwarded-either",
      };
      const init = await postRpc(url, initializeRequest(0), headers);
      expect(init.status, init.text).toBe(200);
      const sessionId = init.headers.get("mcp-session-id") as string;
      expect(sessionId).toMatch(/^upstream-session-\d+$/);
      const called = await postRpc(
        url,
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "headers", arguments: {} } },
        { ...headers, "mcp-session-id": sessionId },
      );
      const seen = JSON.parse(textOf(responseTo(called, 1).result)) as Record<string, string>;
      // What an MCP server needs arrives; nothing that would let it act as the client.
      expect(seen["mcp-session-id"]).toBe(sessionId);
      expect(seen["content-type"]).toBe("application/json");
      expect(seen.accept).toContain("text/event-stream");
      expect(seen).not.toHaveProperty("authorization");
      expect(seen).not.toHaveProperty("cookie");
      expect(seen).not.toHaveProperty("x-api-key");
      expect(JSON.stringify(seen)).not.toContain(credential);
    }
  });
});
