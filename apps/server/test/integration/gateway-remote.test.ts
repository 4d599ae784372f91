import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ApiClient, signUp } from "../support/api-client.js";
import { waitForStatus } from "../support/servers-api.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * A real MCP server "elsewhere": stateless Streamable HTTP on a local port that insists on its own
 * token header and records the headers it was sent.
 */
async function startRemoteMcpServer() {
  const seen: Array<Record<string, string>> = [];
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      seen.push(Object.fromEntries(request.headers));
      if (request.headers.get("x-upstream-token") !== "upstream-s3cret")
        return new Response("wrong upstream token", { status: 401 });
      const mcp = new McpServer({ name: "remote-weather", version: "1.2.3" });
      mcp.registerTool(
        "forecast",
        { description: "Tomorrow's weather", inputSchema: { city: z.string() } },
        async ({ city }) => ({ content: [{ type: "text", text: `Sunny in ${city}` }] }),
      );
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await mcp.connect(transport);
      return transport.handleRequest(request);
    },
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A remote server that keeps sessions (its ids `remote-session-N`) and records every request's
 * method, JSON-RPC method and session id, to see what the gateway tells it.
 */
async function startSessionfulRemote() {
  const seen: Array<{ method: string; rpc?: string; session?: string }> = [];
  let issued = 0;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c;
    });
    req.on("end", () => {
      const session = req.headers["mcp-session-id"] as string | undefined;
      if (req.method !== "POST") {
        seen.push({ method: req.method ?? "", ...(session ? { session } : {}) });
        res.writeHead(req.method === "DELETE" ? 200 : 405).end();
        return;
      }
      const message = JSON.parse(raw) as { id?: number; method: string };
      seen.push({ method: "POST", rpc: message.method, ...(session ? { session } : {}) });
      if (message.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (message.method === "initialize") headers["mcp-session-id"] = `remote-session-${++issued}`;
      const result =
        message.method === "initialize"
          ? {
              protocolVersion: "2025-11-25",
              capabilities: { tools: {} },
              serverInfo: { name: "sessionful", version: "1.0.0" },
            }
          : { tools: [] };
      res.writeHead(200, headers).end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a remote MCP server behind the gateway", () => {
  let s: TestServer;
  let admin: ApiClient;
  let alice: ApiClient;
  let remote: Awaited<ReturnType<typeof startRemoteMcpServer>>;

  beforeAll(async () => {
    s = await startTestServer();
    remote = await startRemoteMcpServer();
    admin = (await signUp(s.client(), "admin@example.com")).client;
    alice = (await signUp(s.client(), "alice@example.com")).client;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await remote?.close();
  });

  it("is refused to users when its URL points at a private or loopback address", async () => {
    for (const url of [remote.url, "https://10.0.0.8/mcp", "https://169.254.169.254/latest"]) {
      const res = await alice.post("/api/servers", {
        name: "Sneaky",
        source: { type: "remote", url },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe("source.url");
    }
    const allowed = await alice.post("/api/servers", {
      name: "Sneaky",
      source: { type: "remote", url: remote.url, allowPrivateNetwork: true },
    });
    expect(allowed.status).toBe(403);
  });

  it("proxies MCP with the server's own headers, never the client's key, under MCP Host's key", async () => {
    const created = await admin.post("/api/servers", {
      name: "Weather",
      source: {
        type: "remote",
        url: remote.url,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder the gateway expands
        headers: { "X-Upstream-Token": "${UPSTREAM_TOKEN}" },
        allowPrivateNetwork: true,
      },
      env: { UPSTREAM_TOKEN: "upstream-s3cret" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ runtime: "remote", transport: { type: "http" } });
    expect(JSON.stringify(created.body)).not.toContain("upstream-s3cret");
    await waitForStatus(admin, created.body.id, "running", 20_000);

    const client = new Client({ name: "remote-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(created.body.mcpUrl.replace("localhost", "127.0.0.1")),
        {
          requestInit: { headers: { authorization: `Bearer ${created.body.apiKey}` } },
        },
      ),
    );
    expect(client.getServerVersion()).toMatchObject({ name: "remote-weather", version: "1.2.3" });
    const result = await client.callTool({ name: "forecast", arguments: { city: "Lyon" } });
    expect(result.content).toEqual([{ type: "text", text: "Sunny in Lyon" }]);
    await client.close();

    const proxied = remote.seen.filter((h) => h["x-upstream-token"]);
    expect(proxied.length).toBeGreaterThan(1);
    for (const headers of proxied) {
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(created.body.apiKey);
    }
  });

  it("is told when the gateway ends one of its sessions, as a leaving client would tell it", async () => {
    const sessionful = await startSessionfulRemote();
    try {
      const created = await admin.post("/api/servers", {
        name: "Sessionful",
        source: { type: "remote", url: sessionful.url, allowPrivateNetwork: true },
      });
      expect(created.status).toBe(201);
      await waitForStatus(admin, created.body.id, "running", 20_000);
      const mcpUrl = created.body.mcpUrl.replace("localhost", "127.0.0.1");
      const opened = await fetch(mcpUrl, {
        method: "POST",
        headers: {
          authorization: `Bearer ${created.body.apiKey}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-11-25",
            capabilities: {},
            clientInfo: { name: "leaves-without-delete", version: "1" },
          },
        }),
      });
      expect(opened.status).toBe(200);
      const sessionId = opened.headers.get("mcp-session-id") as string;
      await opened.text();
      expect(sessionId).toMatch(/^remote-session-/);

      // The client never sends DELETE; its owner ends the session from the API (the idle reaper
      // ends sessions the same way).
      const ended = await admin.delete(`/api/servers/${created.body.id}/sessions/${sessionId}`);
      expect(ended.status).toBe(204);
      await expect
        .poll(() => sessionful.seen.filter((r) => r.method === "DELETE"))
        .toEqual([{ method: "DELETE", session: sessionId }]);
    } finally {
      await sessionful.close();
    }
  });

  it("goes to error with the reason when the remote server cannot be reached", async () => {
    const created = await admin.post("/api/servers", {
      name: "Gone",
      source: { type: "remote", url: "http://127.0.0.1:9/mcp", allowPrivateNetwork: true },
    });
    expect(created.status).toBe(201);
    const server = await waitForStatus(admin, created.body.id, "error", 20_000);
    expect(server.statusReason).toContain("could not reach");
  });
});
