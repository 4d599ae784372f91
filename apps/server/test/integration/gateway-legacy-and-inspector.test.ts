import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  answerSampling,
  bearer,
  connectSse,
  type DeployedServer,
  deployEverything,
  EVERYTHING_NAME,
  processesOfInstance,
  textOf,
  waitFor,
} from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Clients that are not the SDK's Streamable HTTP one: the 2024-11-05 HTTP+SSE transport (older
 * hosts still speak only that), and the MCP Inspector's command line.
 */
let s: TestServer;
let owner: ApiClient;
let everything: DeployedServer;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  owner = (await signUp(s.client(), "owner@example.com")).client;
  everything = await deployEverything(owner, "Everything");
}, 120_000);
afterAll(() => s?.close());

/** The one open HTTP+SSE session (the SDK's SSE client keeps its session id to itself). */
function sseSession() {
  const open = s.mcphost.gateway.sessions
    .listByServer(everything.id)
    .filter((session) => session.transport === "sse");
  expect(open).toHaveLength(1);
  return open[0] as (typeof open)[number] & { instanceId: string };
}

describe("an MCP client on the HTTP+SSE transport (2024-11-05)", () => {
  it("initializes, lists, calls a tool and answers a sampling request at /sse", async () => {
    const { client } = await connectSse(`${s.url}/mcp/${everything.slug}/sse`, {
      headers: bearer(everything.apiKey),
      capabilities: { sampling: {} },
    });
    expect(client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["echo", "trigger-sampling-request"]));
    const echoed = await client.callTool({ name: "echo", arguments: { message: "over SSE" } });
    expect(textOf(echoed)).toBe("Echo: over SSE");

    const asked = answerSampling(client, "sampled over SSE");
    const sampled = await client.callTool({
      name: "trigger-sampling-request",
      arguments: { prompt: "legacy transport" },
    });
    expect(asked).toEqual([expect.stringContaining("legacy transport")]);
    expect(textOf(sampled)).toContain("sampled over SSE");

    const progress: number[] = [];
    await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.9, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    // The last step is sent just before the answer; the SDK's SSE client may drop it when both
    // come in one chunk (it handles the answer first). The earlier steps always arrive.
    expect(progress.slice(0, 2)).toEqual([1, 2]);

    // A message that is not JSON-RPC is refused, and the session goes on.
    const { id: sessionId, instanceId } = sseSession();
    const bad = await fetch(`${s.url}/mcp/${everything.slug}/message?sessionId=${sessionId}`, {
      method: "POST",
      headers: { ...bearer(everything.apiKey), "content-type": "application/json" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(bad.status).toBe(400);
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "still" } }))).toBe(
      "Echo: still",
    );

    // Closing the event stream ends the session and its instance.
    expect(await processesOfInstance(instanceId)).not.toEqual([]);
    await client.close();
    await waitFor(
      async () => (await processesOfInstance(instanceId)).length === 0,
      "the SSE session's instance to exit",
    );
    const late = await fetch(`${s.url}/mcp/${everything.slug}/message?sessionId=${sessionId}`, {
      method: "POST",
      headers: { ...bearer(everything.apiKey), "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list" }),
    });
    expect(late.status).toBe(404);
  });

  it("refuses the event stream without a key, and messages for a session with another key", async () => {
    const noKey = await fetch(`${s.url}/mcp/${everything.slug}/sse`, {
      headers: { accept: "text/event-stream" },
    });
    expect(noKey.status).toBe(401);
    await noKey.body?.cancel();

    const other = await owner.post(`/api/servers/${everything.id}/keys`, { name: "other" });
    const { client } = await connectSse(`${s.url}/mcp/${everything.slug}/sse`, {
      headers: bearer(everything.apiKey),
    });
    const hijack = await fetch(
      `${s.url}/mcp/${everything.slug}/message?sessionId=${sseSession().id}`,
      {
        method: "POST",
        headers: { ...bearer(other.body.key), "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" }),
      },
    );
    expect(hijack.status).toBe(404);
    expect(await hijack.text()).not.toContain("echo");
    // The rightful client is unaffected.
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "mine" } }))).toBe(
      "Echo: mine",
    );
    await client.close();
  });
});

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const inspectorPackage = require.resolve("@modelcontextprotocol/inspector-cli/package.json");
const inspectorBin = join(
  dirname(inspectorPackage),
  (require(inspectorPackage) as { bin: Record<string, string> }).bin["mcp-inspector-cli"] as string,
);

/** Runs `mcp-inspector-cli --cli <url> ...` as a user would, returning its parsed JSON output. */
async function inspector(args: string[]): Promise<any> {
  const { stdout } = await run(
    process.execPath,
    [
      inspectorBin,
      "--cli",
      `${s.url}/mcp/${everything.slug}`,
      "--transport",
      "http",
      "--header",
      `Authorization: Bearer ${everything.apiKey}`,
      ...args,
    ],
    // v1.0.3 looks for its own package.json at "../package.json" relative to the working
    // directory (and imports it relative to itself): run it from its build folder.
    { timeout: 30_000, cwd: dirname(inspectorBin) },
  );
  return JSON.parse(stdout);
}

describe("the MCP Inspector's command line (@modelcontextprotocol/inspector-cli)", () => {
  it("lists the server's tools through the gateway", async () => {
    const listed = await inspector(["--method", "tools/list"]);
    expect(listed.tools.map((t: { name: string }) => t.name)).toContain("echo");
  });

  it("calls a tool with arguments through the gateway", async () => {
    const called = await inspector([
      "--method",
      "tools/call",
      "--tool-name",
      "echo",
      "--tool-arg",
      "message=hi",
    ]);
    expect(called.content).toEqual([{ type: "text", text: "Echo: hi" }]);
  });
});
