import { readdir, readFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type ClientCapabilities,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  LATEST_PROTOCOL_VERSION,
} from "@modelcontextprotocol/sdk/types.js";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { expect } from "vitest";
import type { ApiClient } from "./api-client.js";
import { waitForGone, waitForStatus } from "./servers-api.js";
import { referenceServerVersion } from "./test-runtimes.js";

/**
 * MCP clients for the gateway's end-to-end tests: the official SDK's (as MCP hosts use it) and raw
 * JSON-RPC over fetch, for when a test must choose request ids or headers itself.
 */

export const EVERYTHING = "@modelcontextprotocol/server-everything";
/** What server-everything calls itself in its `initialize` answer. */
export const EVERYTHING_NAME = "mcp-servers/everything";

export interface DeployedServer {
  id: string;
  slug: string;
  /** The key the create answer carried (mhk_...). */
  apiKey: string;
}

/**
 * Creates a server-everything server (the installed devDependency's exact version, so it installs
 * from the npm cache) and waits until it runs. `extra` goes into the create body as-is.
 */
export async function deployEverything(
  owner: ApiClient,
  name: string,
  extra: Record<string, unknown> = {},
  timeoutMs = 90_000,
): Promise<DeployedServer> {
  const version = await referenceServerVersion(EVERYTHING);
  const { args, ...rest } = extra as { args?: string[] };
  const created = await owner.post("/api/servers", {
    name,
    source: { type: "npm", package: EVERYTHING, version, ...(args ? { args } : {}) },
    transport: "stdio",
    runtime: "process",
    ...rest,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await waitForStatus(owner, created.body.id, "running", timeoutMs);
  return { id: created.body.id, slug: created.body.slug, apiKey: created.body.apiKey };
}

export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

export interface ConnectOptions {
  capabilities?: ClientCapabilities;
  name?: string;
  headers?: Record<string, string>;
}

/** An SDK client connected over Streamable HTTP (initialize done). */
export async function connectStreamable(url: string, options: ConnectOptions = {}) {
  const client = new Client(
    { name: options.name ?? "gateway-test", version: "1.0.0" },
    { capabilities: options.capabilities ?? {} },
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: options.headers ?? {} },
  });
  await client.connect(transport);
  return { client, transport };
}

/** An SDK client connected over the 2024-11-05 HTTP+SSE transport (`url` ends in /sse). */
export async function connectSse(url: string, options: ConnectOptions = {}) {
  const client = new Client(
    { name: options.name ?? "gateway-test-sse", version: "1.0.0" },
    { capabilities: options.capabilities ?? {} },
  );
  // The SDK sends requestInit's headers on the event stream's GET and on every message POST.
  const transport = new SSEClientTransport(new URL(url), {
    requestInit: { headers: options.headers ?? {} },
  });
  await client.connect(transport);
  return { client, transport };
}

/**
 * Answers sampling requests the way a host with a model would, recording each prompt it was asked.
 * Returns the prompts seen so far (the text of each request's last message).
 */
export function answerSampling(client: Client, reply: string): string[] {
  const prompts: string[] = [];
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const last = request.params.messages.at(-1)?.content;
    prompts.push(last && "text" in last ? String(last.text) : "");
    return {
      model: "test-model",
      role: "assistant",
      content: { type: "text", text: reply },
    } satisfies CreateMessageResult;
  });
  return prompts;
}

/** The text parts of a tool result, joined. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

/** A raw JSON-RPC exchange: the HTTP answer and the JSON-RPC messages its body carried. */
export interface RpcAnswer {
  status: number;
  headers: Headers;
  /** Parsed from a JSON body or from an SSE stream's events, in order. */
  messages: Array<Record<string, any>>;
  /** The body as text (problem+json, errors). */
  text: string;
}

/**
 * The answer to request `id` among a POST's messages. A server's notifications may come first on
 * the same stream (server-everything announces its tools changed right after initialization).
 */
export function responseTo(answer: RpcAnswer, id: number | string): Record<string, any> {
  const responses = answer.messages.filter((m) => "result" in m || "error" in m);
  expect(responses, answer.text).toHaveLength(1);
  expect(responses[0]?.id).toBe(id);
  return responses[0] as Record<string, any>;
}

/** POSTs JSON-RPC to a Streamable HTTP endpoint and reads the whole answer (JSON or SSE). */
export async function postRpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return readRpcAnswer(res);
}

export async function readRpcAnswer(res: Response): Promise<RpcAnswer> {
  const type = res.headers.get("content-type") ?? "";
  const messages: RpcAnswer["messages"] = [];
  let text = "";
  if (type.includes("text/event-stream") && res.body) {
    const events = res.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    for await (const event of events) {
      text += `${event.data}\n`;
      if (event.data) messages.push(JSON.parse(event.data));
    }
  } else {
    text = await res.text();
    if (type.includes("json") && text) {
      const parsed = JSON.parse(text);
      messages.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    }
  }
  return { status: res.status, headers: res.headers, messages, text };
}

/** An `initialize` request as a client would send it, with the given id. */
export const initializeRequest = (id: number | string, name = "raw-client") => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name, version: "1.0.0" },
  },
});

/** Opens a session with raw requests (initialize, then `initialized`); returns its id. */
export async function openRawSession(
  url: string,
  headers: Record<string, string>,
): Promise<string> {
  const init = await postRpc(url, initializeRequest(0), headers);
  expect(init.status, init.text).toBe(200);
  const sessionId = init.headers.get("mcp-session-id");
  expect(sessionId).toBeTruthy();
  const sid = { ...headers, "mcp-session-id": sessionId as string };
  const initialized = await postRpc(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    sid,
  );
  expect(initialized.status).toBe(202);
  return sessionId as string;
}

/** Polls `check` until it returns something truthy; fails with `what` after the timeout. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Live process ids of one process-runtime instance: the processes whose environment carries its
 * instance marker (bwrap and its init, or the unsandboxed server).
 */
export async function processesOfInstance(instanceId: string): Promise<number[]> {
  const marker = `MCPHOST_INSTANCE_ID=${instanceId}\0`;
  const pids: number[] = [];
  await Promise.all(
    (await readdir("/proc"))
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
        if (environ.includes(marker)) pids.push(Number(entry));
      }),
  );
  return pids;
}

/** Ids of the live process-runtime instances of a server (main, spare and session instances). */
export async function instancesOfServer(serverId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  await Promise.all(
    (await readdir("/proc"))
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
        if (!environ.includes(serverId)) return;
        const id = /(?:^|\0)MCPHOST_INSTANCE_ID=([^\0]+)/.exec(environ)?.[1];
        if (id) ids.add(id);
      }),
  );
  return ids;
}

/** Deletes a server and waits until it is gone (its instances with it). */
export async function removeServer(owner: ApiClient, serverId: string): Promise<void> {
  const res = await owner.delete(`/api/servers/${serverId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await waitForGone(owner, serverId);
}
