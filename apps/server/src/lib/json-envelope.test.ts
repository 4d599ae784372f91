import { describe, expect, it } from "vitest";
import { envelopeOf, SMALL_MEMBER_BYTES, skipValue, UnparsedJson } from "./json-envelope.js";

const big = "x".repeat(SMALL_MEMBER_BYTES * 4);

describe("a large message read by its envelope", () => {
  it("parses everything but a long payload, which stays as its exact text", () => {
    const result = { content: [{ type: "text", text: big }], isError: true };
    const text = JSON.stringify({ jsonrpc: "2.0", id: 7, result });
    const message = envelopeOf(Buffer.from(text)) as Record<string, unknown>;
    expect(message.jsonrpc).toBe("2.0");
    expect(message.id).toBe(7);
    expect(message.result).toBeInstanceOf(UnparsedJson);
    expect((message.result as UnparsedJson).bytes.toString()).toBe(JSON.stringify(result));
    expect((message.result as UnparsedJson).member("isError")).toBe(true);
    expect((message.result as UnparsedJson).member("content")).toBeInstanceOf(UnparsedJson);
    expect((message.result as UnparsedJson).member("absent")).toBeUndefined();
  });

  it("parses a short payload and the error whole", () => {
    const text = ` { "id" : "a", "error" : {"code": -1, "message": "no", "data": "${big}"}, "result": {"a": 1} } `;
    expect(envelopeOf(Buffer.from(text))).toEqual({
      id: "a",
      error: { code: -1, message: "no", data: big },
      result: { a: 1 },
    });
  });

  it("reads each message of a batch", () => {
    const text = JSON.stringify([
      { jsonrpc: "2.0", id: 1, result: { text: big } },
      { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } },
    ]);
    const [first, second] = envelopeOf(Buffer.from(text)) as Array<{ result?: UnparsedJson }>;
    expect(first?.result?.member("text")).toBeInstanceOf(UnparsedJson);
    expect(second).toEqual({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progress: 1 },
    });
  });

  it("is not fooled by quotes, brackets and escapes inside strings", () => {
    const tricky = `a \\" } ] { [ , \\\\" still "text`;
    const value = { text: tricky + big, list: [1, { n: null }], flag: false };
    const text = JSON.stringify({ id: 1, result: value });
    const result = (envelopeOf(Buffer.from(text)) as { result: UnparsedJson }).result;
    expect(JSON.parse(result.bytes.toString())).toEqual(value);
    expect(result.member("list")).toEqual([1, { n: null }]);
    expect(result.member("flag")).toBe(false);
  });

  it("refuses text whose structure is broken", () => {
    expect(() => envelopeOf(Buffer.from(`{"id": 1, "result": {"text": "${big}}`))).toThrow(
      SyntaxError,
    );
    expect(() => envelopeOf(Buffer.from(`{"id" 1}`))).toThrow(SyntaxError);
    expect(() => skipValue(Buffer.from(`[1, [2]`), 0)).toThrow(SyntaxError);
  });
});
