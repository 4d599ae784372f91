import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { pingBeforeInitialize, READINESS_PING_ID } from "./stdio-ping.js";
import { StreamTransport } from "./stream-transport.js";

/** A stdio instance's two pipes, seen from the gateway's side. */
function pipes() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const written: unknown[] = [];
  stdin.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) written.push(JSON.parse(line));
  });
  return { stdin, stdout, written };
}

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const pong = line({ jsonrpc: "2.0", id: READINESS_PING_ID, result: {} });
const log = (n: number) =>
  line({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: n } });

/** What a session's transport reads from the stream after the ping is done with it. */
async function sessionReads(streams: { stdin: PassThrough; stdout: PassThrough }, count: number) {
  const transport = new StreamTransport(streams.stdin, streams.stdout);
  const got: unknown[] = [];
  const all = new Promise<void>((resolve) => {
    transport.onmessage = (message) => {
      got.push(message);
      if (got.length === count) resolve();
    };
  });
  await transport.start();
  await all;
  return { got, transport };
}

describe("pingBeforeInitialize", () => {
  it("sends MCP ping and resolves on the answer, even one split across chunks", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    await new Promise((r) => setImmediate(r));
    expect(streams.written).toEqual([{ jsonrpc: "2.0", id: READINESS_PING_ID, method: "ping" }]);
    streams.stdout.write(pong.slice(0, 10));
    streams.stdout.write(pong.slice(10));
    await expect(ping.answered).resolves.toBeUndefined();
    expect(ping.cancel()).toBe(false); // already settled: nothing can follow
  });

  it("counts an error answer as an answer: the server speaks JSON-RPC", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    streams.stdout.write(
      line({ jsonrpc: "2.0", id: READINESS_PING_ID, error: { code: -32600, message: "no" } }),
    );
    await expect(ping.answered).resolves.toBeUndefined();
  });

  it("leaves what the server wrote around the answer, in order, for the session", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    // The answer arrives between two notifications, and a third follows in the same chunk.
    streams.stdout.write(log(1) + pong + log(2));
    await ping.answered;
    streams.stdout.write(log(3));
    const { got } = await sessionReads(streams, 3);
    expect(got.map((m) => (m as { params: { data: number } }).params.data)).toEqual([1, 2, 3]);
  });

  it("rejects when the instance ends first", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    streams.stdout.end(log(1));
    await expect(ping.answered).rejects.toThrow(/ended before it answered/);
  });

  it("stops reading a server that writes over 1 MiB without answering", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    streams.stdout.write(`${"x".repeat(1024 * 1024 + 1)}`);
    await expect(ping.answered).rejects.toThrow(/over 1 MiB/);
  });

  it("on cancel, hands the stream over; a late answer is dropped, not given to the client", async () => {
    const streams = pipes();
    const ping = pingBeforeInitialize(streams);
    streams.stdout.write(log(1));
    await new Promise((r) => setImmediate(r));
    expect(ping.cancel()).toBe(true);
    await expect(ping.answered).rejects.toThrow(/cancelled/);
    const transport = new StreamTransport(streams.stdin, streams.stdout).dropAnswerTo(
      READINESS_PING_ID,
    );
    const got: unknown[] = [];
    transport.onmessage = (message) => got.push(message);
    await transport.start();
    streams.stdout.write(pong + log(2) + pong);
    await new Promise((r) => setImmediate(r));
    // The first answer to the ping is the gateway's; a second one would be the server's doing.
    expect(got).toEqual([
      JSON.parse(log(1)),
      JSON.parse(log(2)),
      { jsonrpc: "2.0", id: READINESS_PING_ID, result: {} },
    ]);
  });
});
