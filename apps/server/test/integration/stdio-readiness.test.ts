import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { bearer, connectStreamable } from "../support/mcp-clients.js";
import { EVERYTHING_SERVER } from "../support/mcp-upstreams.js";
import { IDLE_SOURCE, logText, waitForLog, waitForStatus } from "../support/servers-api.js";
import { processRuntime, skipWithoutBubblewrap } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Far longer than the wait below: a server running before it was called ready by its answer.
 * (The grace of servers that never answer is readiness.test.ts's.)
 */
const GRACE_MS = 45_000;

let s: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  if (skipWithoutBubblewrap) return;
  s = await startTestServer({
    readiness: { stdioGraceMs: GRACE_MS },
    runtimesFor: (dataDir) => ({ process: processRuntime(dataDir, { sandbox: false }) }),
  });
  admin = (await signUp(s.client(), "admin@example.com")).client;
}, 60_000);
afterAll(() => s?.close());

it.skipIf(skipWithoutBubblewrap)(
  `a stdio server runs once it answers MCP, and its first client uses that connection${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  async () => {
    const created = await admin.post("/api/servers", {
      name: "Answers",
      source: { type: "command", command: process.execPath, args: [EVERYTHING_SERVER, "stdio"] },
      transport: "stdio",
      sessionMode: "shared",
      runtime: "process",
    });
    expect(created.status).toBe(201);
    await waitForStatus(admin, created.body.id, "running", GRACE_MS / 2);
    // Log lines are stored in short batches: the line may follow the status by a moment.
    await waitForLog(admin, created.body.id, /answered MCP initialize in \d+ ms/);

    // The process runtime hands an instance's stdio out once: the gateway's session works only
    // because readiness left its connection open for it.
    const { client } = await connectStreamable(`${s.url}/mcp/${created.body.slug}`, {
      headers: bearer(created.body.apiKey),
    });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("echo");
    await client.close();
  },
  60_000,
);

it.skipIf(skipWithoutBubblewrap)(
  `a stdio server in session mode runs once its spare answers, and is discovered through its main instance, starting no other${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  async () => {
    const created = await admin.post("/api/servers", {
      name: "Per session",
      source: { type: "command", command: process.execPath, args: [EVERYTHING_SERVER, "stdio"] },
      transport: "stdio",
      runtime: "process",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitForStatus(admin, id, "running", GRACE_MS / 2);
    const deadline = Date.now() + 20_000;
    let caps: { discoveredAt: string | null; tools: Array<{ name: string }> } | undefined;
    while (!caps?.discoveredAt && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      caps = (await admin.get(`/api/servers/${id}/capabilities`)).body;
    }
    expect(caps?.tools.map((t) => t.name)).toContain("echo");
    // Every instance of server-everything says this on stderr as it starts: the main instance
    // and the warm spare waiting for the first client, and nothing for discovery. (Log lines
    // are stored in batches: a third would be in within the second waited.)
    const started = /Starting default \(STDIO\) server/g;
    await waitForLog(admin, id, new RegExp(`${started.source}[\\s\\S]*${started.source}`));
    await new Promise((r) => setTimeout(r, 1000));
    const log = await logText(admin, id);
    expect(log.match(started)).toHaveLength(2);
    // The spare, which the first client takes, proved the server; the main instance started
    // after it, off the first client's way.
    expect(log).toMatch(/a session instance answered MCP ping in \d+ ms[\s\S]*starting instance /);
    expect(log).toMatch(/answered MCP initialize in \d+ ms/);

    const { client } = await connectStreamable(`${s.url}/mcp/${created.body.slug}`, {
      headers: bearer(created.body.apiKey),
    });
    const answer = await client.callTool({ name: "echo", arguments: { message: "first" } });
    expect(answer.content).toEqual([{ type: "text", text: "Echo: first" }]);
    await client.close();
  },
  60_000,
);

describe.skipIf(skipWithoutBubblewrap)(
  `a server that says nothing before its first client${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    let quiet: TestServer;
    let owner: ApiClient;
    beforeAll(async () => {
      quiet = await startTestServer({
        readiness: { stdioGraceMs: 300 },
        runtimesFor: (dataDir) => ({ process: processRuntime(dataDir, { sandbox: false }) }),
      });
      owner = (await signUp(quiet.client(), "owner@example.com")).client;
    }, 60_000);
    afterAll(() => quiet?.close());

    it("runs in session mode once its spare stayed up through the grace, then starts the main instance", async () => {
      const created = await owner.post("/api/servers", {
        name: "Quiet",
        source: IDLE_SOURCE,
        transport: "stdio",
        runtime: "process",
      });
      expect(created.status).toBe(201);
      await waitForStatus(owner, created.body.id, "running", 10_000);
      // One grace, on the spare; the main instance is not given a second one.
      await waitForLog(
        owner,
        created.body.id,
        /a session instance is up after \d+ ms without answering MCP ping[\s\S]*starting instance [\s\S]*\[system\] running/,
      );
    }, 30_000);
  },
);
