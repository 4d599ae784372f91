import {
  ElicitRequestSchema,
  LATEST_PROTOCOL_VERSION,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  answerSampling,
  bearer,
  type ConnectOptions,
  connectStreamable,
  type DeployedServer,
  deployEverything,
  EVERYTHING_NAME,
  openRawSession,
  removeServer,
  textOf,
  waitFor,
} from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * An MCP host on Streamable HTTP, through the gateway, to server-everything speaking stdio on the
 * process runtime: every MCP feature a host relies on, in both directions.
 */
let s: TestServer;
let owner: ApiClient;
let everything: DeployedServer;
let shared: DeployedServer;
let url: string;
/** Clients opened by the current test, ended (DELETE) after it. */
const opened: Array<Awaited<ReturnType<typeof connectStreamable>>> = [];

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  owner = (await signUp(s.client(), "owner@example.com")).client;
  [everything, shared] = await Promise.all([
    deployEverything(owner, "Everything"),
    deployEverything(owner, "Everything Shared", { sessionMode: "shared" }),
  ]);
  url = `${s.url}/mcp/${everything.slug}`;
}, 120_000);
afterEach(async () => {
  for (const { client, transport } of opened.splice(0)) {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
});
afterAll(async () => {
  // Deleted first: stopping the app ends the shared instance's stdin, and its exit record would
  // race the removal of the data folder.
  if (shared) await removeServer(owner, shared.id);
  await s?.close();
});

/** The events of an SSE answer, as they arrive. */
const sseEvents = (res: Response) =>
  (res.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());

async function connect(options: ConnectOptions = {}) {
  const connected = await connectStreamable(url, {
    ...options,
    headers: bearer(everything.apiKey),
  });
  opened.push(connected);
  return connected;
}

describe("an MCP client on Streamable HTTP, through the gateway to a stdio server", () => {
  it("initializes, lists the tools and calls one", async () => {
    const { client, transport } = await connect();
    expect(client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    // The gateway's session, not the upstream's (a stdio server has none).
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["echo", "get-sum", "trigger-long-running-operation"]),
    );
    // server-everything offers its sampling tool only to clients that can sample.
    expect(names).not.toContain("trigger-sampling-request");

    const echoed = await client.callTool({
      name: "echo",
      arguments: { message: "hello through the gateway" },
    });
    expect(echoed.isError).toBeFalsy();
    expect(textOf(echoed)).toBe("Echo: hello through the gateway");

    const sum = await client.callTool({ name: "get-sum", arguments: { a: 2, b: 40 } });
    expect(textOf(sum)).toContain("42");
  });

  it("lists and reads a resource", async () => {
    const { client } = await connect();
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0] as (typeof resources)[number];
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents).toHaveLength(1);
    expect(read.contents[0]?.uri).toBe(first.uri);
    const content = read.contents[0] as { text?: string; blob?: string };
    expect((content.text ?? content.blob ?? "").length).toBeGreaterThan(0);

    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate.includes("/text/"));
    expect(template).toBeDefined();
    const dynamic = await client.readResource({ uri: "demo://resource/dynamic/text/7" });
    expect(dynamic.contents[0]).toMatchObject({
      uri: "demo://resource/dynamic/text/7",
      text: expect.stringMatching(/^Resource 7: This is a plaintext resource/),
    });
  });

  it("lists prompts and gets one with its required argument", async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    const argsPrompt = prompts.find((p) => p.name === "args-prompt");
    expect(argsPrompt?.arguments).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "city", required: true })]),
    );
    const prompt = await client.getPrompt({
      name: "args-prompt",
      arguments: { city: "Lisbon", state: "Lisboa" },
    });
    expect(prompt.messages).toEqual([
      { role: "user", content: { type: "text", text: "What's weather in Lisbon, Lisboa?" } },
    ]);
  });

  it("delivers the progress of a long-running tool call as it happens", async () => {
    const { client } = await connect();
    const progress: Array<Progress & { at: number }> = [];
    const result = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 1.5, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push({ ...p, at: Date.now() }) },
    );
    const doneAt = Date.now();
    expect(textOf(result)).toContain("Long running operation completed");
    expect(progress.map(({ progress: p, total }) => ({ progress: p, total }))).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
      { progress: 3, total: 3 },
    ]);
    // Streamed, not held back until the answer: the first step came well before the end.
    expect(doneAt - (progress[0]?.at ?? doneAt)).toBeGreaterThan(500);
  });

  it("resumes a dropped tool call's stream with Last-Event-ID, missing nothing", async () => {
    const auth = bearer(everything.apiKey);
    const sid = { ...auth, "mcp-session-id": await openRawSession(url, auth) };
    const headers = {
      ...sid,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
    };
    const dropped = new AbortController();
    const call = await fetch(url, {
      method: "POST",
      headers,
      signal: dropped.signal,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: {
          name: "trigger-long-running-operation",
          arguments: { duration: 1.2, steps: 3 },
          _meta: { progressToken: "resume-me" },
        },
      }),
    });
    // Read up to the first progress event, as it happens, then drop the connection.
    let lastEventId = "";
    for await (const event of sseEvents(call)) {
      lastEventId = event.id ?? lastEventId;
      if (event.data.includes("notifications/progress")) break;
    }
    dropped.abort();
    expect(lastEventId).toBeTruthy();

    // Until the gateway has seen the drop, the stream counts as connected (409): then it resumes.
    const resumed = new AbortController();
    const again = await waitFor(async () => {
      const res = await fetch(url, {
        headers: { ...headers, "last-event-id": lastEventId },
        signal: resumed.signal,
      });
      return res.status === 409 ? undefined : res;
    }, "the dropped stream to be released");
    expect(again.status).toBe(200);
    const missed: Array<Record<string, any>> = [];
    for await (const event of sseEvents(again)) {
      if (!event.data) continue;
      const message = JSON.parse(event.data);
      missed.push(message);
      if (message.id === 7) break;
    }
    resumed.abort();
    expect(missed.filter((m) => m.method).map((m) => m.params.progress)).toEqual([2, 3]);
    expect(textOf(missed.at(-1)?.result)).toContain("Long running operation completed");
  });

  it("delivers the server's log messages once the client sets a level", async () => {
    const { client } = await connect();
    const logs: LoggingMessageNotification["params"][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    await client.setLoggingLevel("debug");
    const started = await client.callTool({ name: "toggle-simulated-logging", arguments: {} });
    expect(textOf(started)).toContain("Started simulated");
    await waitFor(() => logs.length > 0, "a log message");
    expect(logs[0]?.level).toMatch(/^(debug|info|notice|warning|error|critical|alert|emergency)$/);
    expect(String(logs[0]?.data)).toMatch(/message/i);
    const stopped = await client.callTool({ name: "toggle-simulated-logging", arguments: {} });
    expect(textOf(stopped)).toContain("Stopped simulated");
  });

  it("lets the server ask the client for a sampling completion during a tool call", async () => {
    const { client } = await connect({ capabilities: { sampling: {} } });
    const prompts = answerSampling(client, "The capital of France is Paris.");
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("trigger-sampling-request");

    const result = await client.callTool({
      name: "trigger-sampling-request",
      arguments: { prompt: "What is the capital of France?", maxTokens: 20 },
    });
    expect(prompts).toEqual([expect.stringContaining("What is the capital of France?")]);
    expect(textOf(result)).toContain("LLM sampling result");
    expect(textOf(result)).toContain("The capital of France is Paris.");
    expect(textOf(result)).toContain("test-model");
  });

  it("lets the server ask the user for input (elicitation) during a tool call", async () => {
    const { client } = await connect({ capabilities: { elicitation: {} } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { name: "Ada Lovelace", check: true } };
    });
    const result = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(asked).toEqual([expect.stringContaining("Please provide inputs")]);
    expect(textOf(result)).toContain("User provided the requested information");
    expect(textOf(result)).toContain("- Name: Ada Lovelace");
    expect(textOf(result)).toContain("- Agreed to terms: true");

    // Declining reaches the server just as well.
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" }));
    const declined = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    expect(textOf(declined)).toContain("User declined");
  });
});

describe("the same client on a stdio server in shared mode", () => {
  it("initializes, lists and calls tools, reads a resource and gets a prompt", async () => {
    const connected = await connectStreamable(`${s.url}/mcp/${shared.slug}`, {
      headers: bearer(shared.apiKey),
    });
    opened.push(connected);
    const { client, transport } = connected;
    expect(client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
    expect(s.mcphost.gateway.sessions.get(transport.sessionId as string)?.upstream).toBe("shared");
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("echo");
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "shared" } }))).toBe(
      "Echo: shared",
    );
    const read = await client.readResource({ uri: "demo://resource/dynamic/text/3" });
    expect(read.contents[0]).toMatchObject({ text: expect.stringMatching(/^Resource 3: /) });
    const prompt = await client.getPrompt({ name: "args-prompt", arguments: { city: "Porto" } });
    expect(prompt.messages[0]?.content).toEqual({ type: "text", text: "What's weather in Porto?" });
    const progress: number[] = [];
    await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.6, steps: 2 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(progress).toEqual([1, 2]);
  });
});
