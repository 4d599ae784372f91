import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { npmServer } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Capabilities, client config, the playground's refusals, server cards and the AI catalog through
 * HTTP, with servers that are never started (start: false).
 */
let s: TestServer;
let alice: ApiClient;
let bob: ApiClient;
let anonymous: ApiClient;
let privateServer: { id: string; slug: string; mcpUrl: string; apiKey: string };
let publicServer: { id: string; slug: string; mcpUrl: string; apiKey: string };

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  await signUp(s.client(), "admin@example.com");
  alice = (await signUp(s.client(), "alice@example.com")).client;
  bob = (await signUp(s.client(), "bob@example.com")).client;
  anonymous = s.client();
  const created = await alice.post(
    "/api/servers",
    npmServer("Private Tools", { description: "Alice's own tools" }),
  );
  expect(created.status).toBe(201);
  privateServer = created.body;
  const open = await alice.post(
    "/api/servers",
    npmServer("Open Tools", { description: "Tools for everyone", public: true }),
  );
  expect(open.status).toBe(201);
  publicServer = open.body;
}, 60_000);
afterAll(() => s?.close());

describe("GET /api/servers/{id}/capabilities", () => {
  it("answers empty lists and discoveredAt null before any discovery", async () => {
    const res = await alice.get(`/api/servers/${privateServer.id}/capabilities`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      serverId: privateServer.id,
      discoveredAt: null,
      revision: 0,
      protocolVersion: null,
      serverInfo: null,
      capabilities: null,
      instructions: null,
      tools: [],
      resources: [],
      resourceTemplates: [],
      prompts: [],
      error: null,
    });
  });

  it("hides another user's server and needs a credential", async () => {
    expect((await bob.get(`/api/servers/${privateServer.id}/capabilities`)).status).toBe(404);
    expect((await anonymous.get(`/api/servers/${privateServer.id}/capabilities`)).status).toBe(401);
    expect((await alice.get("/api/servers/srv_nope/capabilities")).status).toBe(404);
  });
});

describe("GET /api/servers/{id}/client-config", () => {
  it("gives the server's endpoint and snippets with a placeholder, never the key", async () => {
    const res = await alice.get(`/api/servers/${privateServer.id}/client-config`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      url: privateServer.mcpUrl,
      transport: "streamable-http",
      sseUrl: `${privateServer.mcpUrl}/sse`,
      header: { name: "Authorization", value: "Bearer <YOUR_API_KEY>" },
    });
    const ids = res.body.clients.map((c: { id: string }) => c.id);
    expect(ids).toEqual([
      "claude-desktop",
      "claude-code",
      "cursor",
      "vscode",
      "windsurf",
      "typescript",
      "python",
    ]);
    const vscode = res.body.clients.find((c: { id: string }) => c.id === "vscode");
    expect(JSON.parse(vscode.snippet).servers[privateServer.slug].url).toBe(privateServer.mcpUrl);
    expect(JSON.stringify(res.body)).not.toContain(privateServer.apiKey);
  });

  it("has no header for a public server", async () => {
    const res = await alice.get(`/api/servers/${publicServer.id}/client-config`);
    expect(res.status).toBe(200);
    expect(res.body.header).toBeNull();
    expect(JSON.stringify(res.body.clients)).not.toContain("Authorization");
  });

  it("hides another user's server", async () => {
    expect((await bob.get(`/api/servers/${privateServer.id}/client-config`)).status).toBe(404);
  });
});

describe("POST /api/servers/{id}/invoke", () => {
  it("refuses initialize and notifications, naming the field method", async () => {
    for (const method of ["initialize", "notifications/initialized"]) {
      const res = await alice.post(`/api/servers/${privateServer.id}/invoke`, { method });
      expect(res.status, method).toBe(400);
      expect(res.contentType).toContain("application/problem+json");
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(["method"]);
    }
  });

  it("refuses bad bodies: no method, a timeout over two minutes", async () => {
    const noMethod = await alice.post(`/api/servers/${privateServer.id}/invoke`, { params: {} });
    expect(noMethod.status).toBe(400);
    expect(noMethod.body.errors[0].field).toBe("method");
    const slow = await alice.post(`/api/servers/${privateServer.id}/invoke`, {
      method: "tools/list",
      timeoutMs: 120_001,
    });
    expect(slow.status).toBe(400);
    expect(slow.body.errors[0].field).toBe("timeoutMs");
  });

  it("answers 409 while the server is not running", async () => {
    const res = await alice.post(`/api/servers/${privateServer.id}/invoke`, {
      method: "tools/call",
      params: { name: "echo", arguments: { message: "hi" } },
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("not running");
  });

  it("hides another user's server and needs servers:write", async () => {
    const byBob = await bob.post(`/api/servers/${privateServer.id}/invoke`, { method: "ping" });
    expect(byBob.status).toBe(404);
    const token = await alice.post("/api/tokens", { name: "read", scopes: ["servers:read"] });
    expect(token.status).toBe(201);
    const readOnly = anonymous.withToken(token.body.token);
    const res = await readOnly.post(`/api/servers/${privateServer.id}/invoke`, { method: "ping" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("INSUFFICIENT_SCOPE");
  });
});

describe("GET /mcp/{slug}/server-card", () => {
  it("serves a public server's card to anyone, with the card media type and CORS", async () => {
    const res = await anonymous.get(`/mcp/${publicServer.slug}/server-card`);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("application/mcp-server-card+json");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body).toMatchObject({
      $schema: "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json",
      name: `localhost/${publicServer.slug}`,
      title: "Open Tools",
      description: "Tools for everyone",
      remotes: [
        { type: "streamable-http", url: publicServer.mcpUrl },
        { type: "sse", url: `${publicServer.mcpUrl}/sse` },
      ],
    });
    expect(res.body.remotes[0].headers).toBeUndefined();
  });

  it("answers 401 for a private server's card without a credential valid for it", async () => {
    const none = await anonymous.get(`/mcp/${privateServer.slug}/server-card`);
    expect(none.status).toBe(401);
    expect(none.contentType).toContain("application/problem+json");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);

    const wrong = await anonymous.get(`/mcp/${privateServer.slug}/server-card`, {
      headers: { authorization: `Bearer ${publicServer.apiKey}` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("serves a private server's card with its key, saying that the key is required", async () => {
    const res = await anonymous.get(`/mcp/${privateServer.slug}/server-card`, {
      headers: { authorization: `Bearer ${privateServer.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("application/mcp-server-card+json");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.body.remotes[0].headers).toEqual([
      expect.objectContaining({ name: "Authorization", isRequired: true, isSecret: true }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(privateServer.apiKey);
  });

  it("answers 404 problem+json for an unknown slug", async () => {
    const res = await anonymous.get("/mcp/no-such-server/server-card");
    expect(res.status).toBe(404);
    expect(res.contentType).toContain("application/problem+json");
    expect(res.body.code).toBe("NOT_FOUND");
  });
});

describe("GET /.well-known/ai-catalog.json", () => {
  it("lists only the public servers, each with its card and MCP endpoint", async () => {
    const res = await anonymous.get("/.well-known/ai-catalog.json");
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("application/ai-catalog+json");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body.specVersion).toBe("1.0");
    expect(res.body.host.displayName).toBe("MCP Host");
    expect(res.body.entries).toHaveLength(1);
    const [entry] = res.body.entries;
    expect(entry).toMatchObject({
      identifier: `urn:air:localhost:mcp:${publicServer.slug}`,
      displayName: "Open Tools",
      description: "Tools for everyone",
      type: "application/mcp-server-card+json",
      url: `${publicServer.mcpUrl}/server-card`,
      extensions: {
        "https://ai-catalog.org/extensions/metadata": {
          protocol: "mcp",
          mcpUrl: publicServer.mcpUrl,
        },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(privateServer.slug);

    // The entry's url is the card itself (on the public URL; here, the same server).
    const card = await anonymous.get(new URL(entry.url).pathname);
    expect(card.status).toBe(200);
    expect(card.body.title).toBe("Open Tools");
  });

  it("drops a server that stops being public", async () => {
    const changed = await alice.patch(`/api/servers/${publicServer.id}`, { public: false });
    expect(changed.status).toBe(200);
    const res = await anonymous.get("/.well-known/ai-catalog.json");
    expect(res.body.entries).toEqual([]);
    await alice.patch(`/api/servers/${publicServer.id}`, { public: true });
  });
});
