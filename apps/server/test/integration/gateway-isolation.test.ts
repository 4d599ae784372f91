import {
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  answerSampling,
  bearer,
  connectStreamable,
  type DeployedServer,
  deployEverything,
  instancesOfServer,
  openRawSession,
  postRpc,
  processesOfInstance,
  removeServer,
  responseTo,
  textOf,
  waitFor,
} from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Two MCP clients on one server never see each other's traffic: in session mode each session has
 * a process of its own, in shared mode the gateway rewrites ids so both can share one process.
 */
let s: TestServer;
let owner: ApiClient;
let perSession: DeployedServer;
let shared: DeployedServer;
const mcpUrl = (server: DeployedServer) => `${s.url}/mcp/${server.slug}`;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  owner = (await signUp(s.client(), "owner@example.com")).client;
  [perSession, shared] = await Promise.all([
    deployEverything(owner, "Per Session"),
    deployEverything(owner, "Shared", { sessionMode: "shared" }),
  ]);
}, 120_000);
afterAll(async () => {
  // Deleted first: stopping the app ends the shared instance's stdin, and its exit record would
  // race the removal of the data folder.
  if (shared) await removeServer(owner, shared.id);
  await s?.close();
});

/**
 * Sends three echo calls at once on a session, numbered 1 to 3 like every client numbers them;
 * returns the text each id was answered with.
 */
async function echoBurst(url: string, headers: Record<string, string>, label: string) {
  const answers = await Promise.all(
    [1, 2, 3].map((id) =>
      postRpc(
        url,
        {
          jsonrpc: "2.0",
          id,
          method: "tools/call",
          params: { name: "echo", arguments: { message: `${label}-${id}` } },
        },
        headers,
      ),
    ),
  );
  const byId: Record<number, string> = {};
  for (const [i, answer] of answers.entries()) {
    expect(answer.status, answer.text).toBe(200);
    // One answer on the request's stream, its own; nothing of the other client's.
    byId[i + 1] = textOf(responseTo(answer, i + 1).result);
  }
  return byId;
}

async function twoRawSessions(server: DeployedServer) {
  const url = mcpUrl(server);
  const auth = bearer(server.apiKey);
  // Both initialize with id 0, as SDK clients do.
  const [a, b] = await Promise.all([openRawSession(url, auth), openRawSession(url, auth)]);
  expect(a).not.toBe(b);
  return {
    url,
    a: { ...auth, "mcp-session-id": a },
    b: { ...auth, "mcp-session-id": b },
  };
}

describe("session mode: a process per MCP session", () => {
  it("answers each client's requests with its own answers though their ids are the same", async () => {
    const { url, a, b } = await twoRawSessions(perSession);
    const [fromA, fromB] = await Promise.all([echoBurst(url, a, "A"), echoBurst(url, b, "B")]);
    expect(fromA).toEqual({ 1: "Echo: A-1", 2: "Echo: A-2", 3: "Echo: A-3" });
    expect(fromB).toEqual({ 1: "Echo: B-1", 2: "Echo: B-2", 3: "Echo: B-3" });
    await Promise.all([a, b].map((h) => fetch(url, { method: "DELETE", headers: h })));
  });

  it("sends a server's sampling requests and log messages only to the session they belong to", async () => {
    const url = mcpUrl(perSession);
    const headers = bearer(perSession.apiKey);
    const a = await connectStreamable(url, { headers, capabilities: { sampling: {} } });
    const b = await connectStreamable(url, { headers, capabilities: { sampling: {} } });
    const askedA = answerSampling(a.client, "answer from A's model");
    const askedB = answerSampling(b.client, "answer from B's model");
    const logsA: LoggingMessageNotification["params"][] = [];
    const logsB: LoggingMessageNotification["params"][] = [];
    a.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logsA.push(n.params);
    });
    b.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logsB.push(n.params);
    });
    await a.client.setLoggingLevel("debug");
    await b.client.setLoggingLevel("debug");

    const result = await a.client.callTool({
      name: "trigger-sampling-request",
      arguments: { prompt: "only for A" },
    });
    expect(textOf(result)).toContain("answer from A's model");
    expect(askedA).toEqual([expect.stringContaining("only for A")]);
    expect(askedB).toEqual([]);

    await a.client.callTool({ name: "toggle-simulated-logging", arguments: {} });
    await waitFor(() => logsA.length > 0, "a log message for A");
    await a.client.callTool({ name: "toggle-simulated-logging", arguments: {} });
    expect(logsA[0]?.data).toBeDefined();
    // B's GET stream was open all along; nothing of A's reached it.
    expect(logsB).toEqual([]);

    const fromB = await b.client.callTool({
      name: "trigger-sampling-request",
      arguments: { prompt: "only for B" },
    });
    expect(textOf(fromB)).toContain("answer from B's model");
    expect(askedB).toEqual([expect.stringContaining("only for B")]);
    expect(askedA).toHaveLength(1);

    for (const { client, transport } of [a, b]) {
      await transport.terminateSession();
      await client.close();
    }
  });

  it("starts an instance for each session and ends it with the session (DELETE)", async () => {
    const { url, a, b } = await twoRawSessions(perSession);
    // The owner sees each session with its client, age and instance; nobody else sees them.
    const listed = await owner.get(`/api/servers/${perSession.id}/sessions`);
    expect(listed.status).toBe(200);
    const byId = new Map<string, any>(listed.body.items.map((i: any) => [i.id, i]));
    for (const id of [a["mcp-session-id"], b["mcp-session-id"]]) {
      expect(byId.get(id as string)).toMatchObject({
        transport: "streamable",
        upstream: "instance",
        client: { name: "raw-client" },
        ageSeconds: expect.any(Number),
      });
    }
    const stranger = (await signUp(s.client(), "stranger@example.com")).client;
    expect((await stranger.get(`/api/servers/${perSession.id}/sessions`)).status).toBe(404);
    expect(
      (await stranger.delete(`/api/servers/${perSession.id}/sessions/${b["mcp-session-id"]}`))
        .status,
    ).toBe(404);
    const instanceA = byId.get(a["mcp-session-id"] as string).instanceId as string;
    const instanceB = byId.get(b["mcp-session-id"] as string).instanceId as string;
    expect(instanceA).toMatch(/^ins_/);
    expect(instanceB).toMatch(/^ins_/);
    expect(instanceA).not.toBe(instanceB);
    expect(await processesOfInstance(instanceA)).not.toEqual([]);
    expect(await processesOfInstance(instanceB)).not.toEqual([]);
    // The server's own instance and the pre-started spare run beside them.
    const running = await instancesOfServer(perSession.id);
    expect(running).toContain(instanceA);
    expect(running).toContain(instanceB);
    expect(running.size).toBeGreaterThanOrEqual(3);

    const ended = await fetch(url, { method: "DELETE", headers: a });
    expect(ended.status).toBe(200);
    await waitFor(
      async () => (await processesOfInstance(instanceA)).length === 0,
      "the ended session's processes to exit",
    );
    expect(await processesOfInstance(instanceB)).not.toEqual([]);

    // The ended session is gone for good; the other one carries on.
    const again = await postRpc(url, { jsonrpc: "2.0", id: 9, method: "tools/list" }, a);
    expect(again.status).toBe(404);
    expect(again.messages[0]?.error?.message).toMatch(/session not found/i);
    expect((await fetch(url, { method: "DELETE", headers: a })).status).toBe(404);
    expect(await echoBurst(url, b, "still B")).toEqual({
      1: "Echo: still B-1",
      2: "Echo: still B-2",
      3: "Echo: still B-3",
    });

    // The owner can end a session from the API too.
    const endedByOwner = await owner.delete(
      `/api/servers/${perSession.id}/sessions/${b["mcp-session-id"]}`,
    );
    expect(endedByOwner.status).toBe(204);
    await waitFor(
      async () => (await processesOfInstance(instanceB)).length === 0,
      "the second session's processes to exit",
    );
    expect((await postRpc(url, { jsonrpc: "2.0", id: 10, method: "tools/list" }, b)).status).toBe(
      404,
    );
    expect((await owner.get(`/api/servers/${perSession.id}/sessions`)).body.items).toEqual([]);
  });
});

describe("shared mode: all sessions on the server's one process", () => {
  it("starts no instance per session, and rewrites ids so each client gets its own answers", async () => {
    const before = await instancesOfServer(shared.id);
    expect(before.size).toBe(1);
    const { url, a, b } = await twoRawSessions(shared);
    expect(s.mcphost.gateway.sessions.get(a["mcp-session-id"])?.upstream).toBe("shared");
    expect(await instancesOfServer(shared.id)).toEqual(before);

    const [fromA, fromB] = await Promise.all([echoBurst(url, a, "A"), echoBurst(url, b, "B")]);
    expect(fromA).toEqual({ 1: "Echo: A-1", 2: "Echo: A-2", 3: "Echo: A-3" });
    expect(fromB).toEqual({ 1: "Echo: B-1", 2: "Echo: B-2", 3: "Echo: B-3" });

    // Ending one session leaves the shared process, and the other session, running.
    expect((await fetch(url, { method: "DELETE", headers: a })).status).toBe(200);
    expect(await instancesOfServer(shared.id)).toEqual(before);
    expect((await echoBurst(url, b, "B"))[1]).toBe("Echo: B-1");
    await fetch(url, { method: "DELETE", headers: b });
  });

  it("sends progress only to the client that asked, though both used the same token", async () => {
    const url = mcpUrl(shared);
    const headers = bearer(shared.apiKey);
    const a = await connectStreamable(url, { headers });
    const b = await connectStreamable(url, { headers });
    const progressA: number[] = [];
    const progressB: number[] = [];
    const call = (client: typeof a.client, seen: number[]) =>
      client.callTool(
        { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
        undefined,
        { onprogress: (p) => seen.push(p.progress) },
      );
    // Both clients are at the same request id here, so their progress tokens are equal too.
    const [doneA, doneB] = await Promise.all([
      call(a.client, progressA),
      call(b.client, progressB),
    ]);
    expect(textOf(doneA)).toContain("completed");
    expect(textOf(doneB)).toContain("completed");
    expect(progressA).toEqual([1, 2, 3]);
    expect(progressB).toEqual([1, 2, 3]);
    for (const { client, transport } of [a, b]) {
      await transport.terminateSession();
      await client.close();
    }
  });
});
