import { describe, expect, it } from "vitest";
import { echoBodies, findResponse, firstText, SseReader } from "./mcp-wire.js";

describe("the MCP wire", () => {
  it("builds one echo call per slot with distinct ids", () => {
    const bodies = echoBodies(3).map((b) => JSON.parse(b.toString()));
    expect(bodies.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(bodies[0]).toMatchObject({
      method: "tools/call",
      params: { name: "echo", arguments: { message: "hello" } },
    });
  });

  it("reads SSE events split anywhere, with any line ending, skipping comments and ids", () => {
    const stream =
      'id: 1\ndata: \n\n: comment\r\nevent: message\r\ndata: {"a":\r\ndata:1}\r\n\r\ndata: x\rdata: y\r\rdata: z\n\n';
    for (const size of [1, 2, 3, 7, stream.length]) {
      const reader = new SseReader();
      const events: string[] = [];
      for (let i = 0; i < stream.length; i += size)
        events.push(...reader.push(stream.slice(i, i + size)));
      expect(events, `chunks of ${size}`).toEqual(["", '{"a":\n1}', "x\ny", "z"]);
    }
  });

  it("reads an event whose one data line spans many chunks (a 1 MiB result)", () => {
    const text = "x".repeat(2 ** 20);
    const stream = `event: message\r\ndata: ${text}\r\n\r\n`;
    const reader = new SseReader();
    const events: string[] = [];
    for (let i = 0; i < stream.length; i += 16_384)
      events.push(...reader.push(stream.slice(i, i + 16_384)));
    expect(events).toEqual([text]);
  });

  it("finds the response to its request among other messages", () => {
    const batch = JSON.stringify([
      { jsonrpc: "2.0", method: "notifications/progress", params: {} },
      { jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "Echo: hello" }] } },
    ]);
    const response = findResponse(batch, 7);
    expect(response && firstText(response)).toBe("Echo: hello");
    expect(findResponse(batch, 8)).toBeUndefined();
    expect(findResponse("", 7)).toBeUndefined(); // a priming event
    expect(
      findResponse('{"jsonrpc":"2.0","id":7,"error":{"code":1,"message":"no"}}', 7),
    ).toMatchObject({
      error: { message: "no" },
    });
  });
});
