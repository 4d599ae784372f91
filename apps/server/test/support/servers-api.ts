import { expect } from "vitest";
import type { ApiClient } from "./api-client.js";

/** A host command that idles: a server that starts and stays up (admins only: it is a command). */
export const IDLE_SOURCE = {
  type: "command",
  command: process.execPath,
  args: ["-e", "setInterval(() => {}, 1000)"],
} as const;

/** Create body for an idle stdio server on the process runtime. */
export function idleServer(name: string, extra: Record<string, unknown> = {}) {
  return { name, source: IDLE_SOURCE, transport: "stdio", runtime: "process", ...extra };
}

/** Create body for an npm server that is not started (no install, no runtime work). */
export function npmServer(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    source: { type: "npm", package: "@modelcontextprotocol/server-everything" },
    transport: "stdio",
    runtime: "process",
    start: false,
    ...extra,
  };
}

/** Polls a server until its status is `status` (or one of them); returns the server. */
export async function waitForStatus(
  client: ApiClient,
  serverId: string,
  status: string | string[],
  timeoutMs = 60_000,
): Promise<any> {
  const wanted = Array.isArray(status) ? status : [status];
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await client.get(`/api/servers/${serverId}`);
    last = res.body;
    if (res.status === 200 && wanted.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `server ${serverId} did not reach ${wanted.join("|")}; last: ${JSON.stringify(last)}`,
  );
}

/** Polls until the server is gone (404). */
export async function waitForGone(client: ApiClient, serverId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await client.get(`/api/servers/${serverId}`)).status === 404) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server ${serverId} was not removed in time`);
}

/** All log lines of a server, oldest first. */
export async function logText(client: ApiClient, serverId: string): Promise<string> {
  const res = await client.get(`/api/servers/${serverId}/logs?limit=1000`);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ stream: string; line: string }>)
    .map((l) => `[${l.stream}] ${l.line}`)
    .join("\n");
}

/** Polls the server's log until it contains `text` (lines are written in short batches). */
export async function waitForLog(
  client: ApiClient,
  serverId: string,
  text: string | RegExp,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  let log = "";
  while (Date.now() < deadline) {
    log = await logText(client, serverId);
    if (typeof text === "string" ? log.includes(text) : text.test(log)) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`log of ${serverId} never showed ${text}; it has:\n${log}`);
}

/** Usage events of a server, oldest first. */
export async function eventsOf(client: ApiClient, serverId: string, kind?: string): Promise<any[]> {
  const res = await client.get(
    `/api/servers/${serverId}/metrics?limit=1000${kind ? `&kind=${kind}` : ""}`,
  );
  return res.body.items;
}

/** Runs `action`, then waits until the server has recorded one more `kind` event than before. */
export async function afterNextEvent(
  client: ApiClient,
  serverId: string,
  kind: string,
  action: () => Promise<unknown>,
  timeoutMs = 60_000,
) {
  const before = (await eventsOf(client, serverId, kind)).length;
  await action();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const events = await eventsOf(client, serverId, kind);
    if (events.length > before) return events.at(-1);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new ${kind} event for ${serverId}`);
}
