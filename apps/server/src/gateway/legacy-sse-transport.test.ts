import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { describe, expect, it } from "vitest";
import { LegacySseTransport } from "./legacy-sse-transport.js";

/** Reads events off the transport's stream as an HTTP+SSE client would. */
function eventsOf(transport: LegacySseTransport) {
  return transport.stream
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
}

describe("LegacySseTransport", () => {
  it("names the message endpoint first, then sends each message as a message event", async () => {
    const transport = new LegacySseTransport("/mcp/demo/message");
    const events = eventsOf(transport);
    await transport.start();
    await transport.send({ jsonrpc: "2.0", id: 1, result: {} });

    const endpoint = (await events.read()).value;
    expect(endpoint).toMatchObject({
      event: "endpoint",
      data: `/mcp/demo/message?sessionId=${transport.sessionId}`,
    });
    const message = (await events.read()).value;
    expect(message?.event).toBe("message");
    expect(JSON.parse(message?.data ?? "")).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
  });

  it("hands POSTed JSON-RPC messages on and refuses anything else", async () => {
    const transport = new LegacySseTransport("/m");
    const received: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    transport.onmessage = (m) => received.push(m);
    transport.onerror = (e) => errors.push(e);
    expect(transport.receive({ jsonrpc: "2.0", id: 3, method: "tools/list" })).toBe(true);
    expect(transport.receive({ hello: "world" })).toBe(false);
    expect(received).toEqual([{ jsonrpc: "2.0", id: 3, method: "tools/list" }]);
    expect(errors).toHaveLength(1);
  });

  it("closes when the client goes away, and once only", async () => {
    const transport = new LegacySseTransport("/m");
    let closed = 0;
    transport.onclose = () => closed++;
    const events = eventsOf(transport);
    await transport.start();
    await events.cancel();
    await transport.close();
    expect(closed).toBe(1);
    await expect(transport.send({ jsonrpc: "2.0", method: "x" })).rejects.toThrow(/closed/);
  });
});
