import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { EVERYTHING_SERVER } from "../support/mcp-upstreams.js";
import { waitForStatus } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Discovery and the playground through the real gateway: server-everything runs as a host command
 * on the process runtime (unsandboxed, so it can read it from this repository's node_modules).
 */
let s: TestServer;
let admin: ApiClient;
let server: { id: string; slug: string; mcpUrl: string };

beforeAll(async () => {
  s = await startTestServer({
    runtimesFor: (dataDir) => ({ process: processRuntime(dataDir, { sandbox: false }) }),
  });
  admin = (await signUp(s.client(), "admin@example.com")).client;
  const created = await admin.post("/api/servers", {
    name: "Everything",
    source: { type: "command", command: process.execPath, args: [EVERYTHING_SERVER, "stdio"] },
    transport: "stdio",
    runtime: "process",
    public: true,
  });
  expect(created.status).toBe(201);
  server = created.body;
  await waitForStatus(admin, server.id, "running", 60_000);
}, 90_000);
afterAll(() => s?.close());

async function discovered(): Promise<any> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await admin.get(`/api/servers/${server.id}/capabilities`);
    if (res.body.discoveredAt) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server was never discovered");
}

describe("a running server", () => {
  it("is discovered on its own once running: tools with schemas, prompts, resources", async () => {
    const caps = await discovered();
    expect(caps.error).toBeNull();
    expect(caps.revision).toBeGreaterThanOrEqual(1);
    expect(caps.serverInfo.name).toBe("mcp-servers/everything");
    expect(caps.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const echo = caps.tools.find((t: { name: string }) => t.name === "echo");
    expect(echo.inputSchema.properties.message.type).toBe("string");
    expect(caps.prompts.length).toBeGreaterThan(0);
    expect(caps.resourceTemplates.length).toBeGreaterThan(0);
  });

  it("answers the playground: the echo tool's text and a latency", async () => {
    const res = await admin.post(`/api/servers/${server.id}/invoke`, {
      method: "tools/call",
      params: { name: "echo", arguments: { message: "through the gateway" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.result.content).toEqual([{ type: "text", text: "Echo: through the gateway" }]);
    expect(res.body.latencyMs).toBeTypeOf("number");
  });

  it("returns a JSON-RPC error from the server with 200", async () => {
    const res = await admin.post(`/api/servers/${server.id}/invoke`, {
      method: "resources/read",
      params: { uri: "demo://resource/static/document/no-such-file.md" },
    });
    expect(res.status).toBe(200);
    expect(res.body.result).toBeUndefined();
    expect(res.body.error.code).toBeTypeOf("number");
    expect(res.body.error.message).toBeTruthy();
  });

  it("puts what discovery found in its server card", async () => {
    await discovered();
    const card = await s.client().get(`/mcp/${server.slug}/server-card`);
    expect(card.status).toBe(200);
    expect(card.body.version).toBe("2.0.0");
    const meta = card.body._meta["mcphost/discovery"];
    expect(meta.capabilities.tools).toBeDefined();
    expect(meta.tools.map((t: { name: string }) => t.name)).toContain("echo");
  });
});
