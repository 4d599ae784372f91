import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp } from "../support/api-client.js";
import { waitForStatus } from "../support/servers-api.js";
import { processRuntime, referenceServerVersion } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (d) => ({ process: processRuntime(d) }) });
}, 60_000);
afterAll(() => s?.close());

it("smoke", async () => {
  const alice = (await signUp(s.client(), "alice@example.com")).client;
  const version = await referenceServerVersion("@modelcontextprotocol/server-everything");
  const created = await alice.post("/api/servers", {
    name: "Everything",
    source: { type: "npm", package: "@modelcontextprotocol/server-everything", version },
    transport: "stdio",
    runtime: "process",
  });
  console.log(created.status, created.body);
  await waitForStatus(alice, created.body.id, "running", 60_000);
  const client = new Client({ name: "smoke", version: "1" });
  const t0 = Date.now();
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${s.url}/mcp/everything`), {
      requestInit: { headers: { authorization: `Bearer ${created.body.apiKey}` } },
    }),
  );
  console.log("connected in", Date.now() - t0);
  const tools = await client.listTools();
  console.log(tools.tools.map((t) => t.name));
  const r = await client.callTool({ name: "echo", arguments: { message: "hi" } });
  console.log(JSON.stringify(r));
  await client.close();
  expect(r).toBeTruthy();
}, 120_000);
