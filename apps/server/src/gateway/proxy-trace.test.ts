import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { UnparsedJson } from "../lib/json-envelope.js";
import { LARGE_MESSAGE_BYTES, MAX_TRACED_JSON_BYTES, tapBody } from "./proxy-trace.js";

/** Feeds `body` to a tap in chunks of `size` bytes, as the proxy relays it; returns the reports. */
function tapped(contentType: string, body: string, size = 65_536): JSONRPCMessage[] {
  const reported: JSONRPCMessage[] = [];
  const tap = tapBody(contentType, (m) => reported.push(m));
  const bytes = Buffer.from(body);
  for (let i = 0; i < bytes.length; i += size) tap.push(bytes.subarray(i, i + size));
  tap.end();
  return reported;
}

const answer = (id: number, text: string) =>
  JSON.stringify({ result: { content: [{ type: "text", text }] }, jsonrpc: "2.0", id });
const event = (data: string) => `event: message\ndata: ${data}\n\n`;

describe("the tracer's tap on a proxied answer", () => {
  it("parses short messages whole, split anywhere, a multi-byte character included", () => {
    // A priming event (an id and no data, for resumption) comes first, as the SDK sends it.
    const body = `id: 0\ndata: \n\n${event(answer(1, "héllo"))}${event(answer(2, "wörld"))}`;
    expect(tapped("text/event-stream", body, 7)).toEqual([
      JSON.parse(answer(1, "héllo")),
      JSON.parse(answer(2, "wörld")),
    ]);
  });

  it("reads a long event's envelope and keeps its result as the text sent", () => {
    const text = "z".repeat(LARGE_MESSAGE_BYTES * 2);
    const [message] = tapped("text/event-stream", event(answer(3, text)));
    expect(message).toMatchObject({ jsonrpc: "2.0", id: 3 });
    const result = (message as { result: unknown }).result;
    expect(result).toBeInstanceOf(UnparsedJson);
    expect(JSON.parse((result as UnparsedJson).bytes.toString())).toEqual({
      content: [{ type: "text", text }],
    });
  });

  it("reads a long JSON body by its envelope too", () => {
    const [message] = tapped("application/json", answer(4, "j".repeat(LARGE_MESSAGE_BYTES)));
    expect(message).toMatchObject({ id: 4 });
    expect((message as { result: unknown }).result).toBeInstanceOf(UnparsedJson);
  });

  it("drops an event over the cap and traces the events after it", () => {
    const huge = answer(5, "h".repeat(MAX_TRACED_JSON_BYTES + 256 * 1024));
    const reported = tapped("text/event-stream", event(huge) + event(answer(6, "after")));
    expect(reported).toEqual([JSON.parse(answer(6, "after"))]);
  });

  it("stops at a body that is not JSON-RPC, which the client gets untouched anyway", () => {
    const body = `${event("not json")}${event(answer(7, "later"))}`;
    expect(tapped("text/event-stream", body)).toEqual([]);
  });
});
