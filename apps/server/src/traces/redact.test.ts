import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { UnparsedJson } from "../lib/json-envelope.js";
import { redactAndCap, redactedPrefix, type TruncatedValue } from "./redact.js";

/** The engine's full collection (the flag is set at run time; a new context exposes `gc`). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

describe("values over the size cap", () => {
  it("keep a preview of their JSON, with the size of the whole", () => {
    const capped = redactAndCap({ text: "a".repeat(100), apiKey: "s3cret" }, 20) as TruncatedValue;
    expect(capped).toEqual({
      truncated: true,
      bytes: Buffer.byteLength(JSON.stringify({ text: "a".repeat(100), apiKey: "[redacted]" })),
      preview: `{"text":"${"a".repeat(11)}`,
    });
  });

  it("turn a surrogate pair cut in two into U+FFFD", () => {
    const capped = redactAndCap("😀😀😀", 4) as TruncatedValue;
    expect(capped.preview).toBe('"😀\uFFFD');
  });

  it("do not keep the whole value alive through their preview", () => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const previews: unknown[] = [];
    // 50 results of 1 MiB each, as a burst of large tool results would leave in the trace writer.
    for (let i = 0; i < 50; i++)
      previews.push(redactAndCap({ content: [{ text: `${i}`.padEnd(2 ** 20, "x") }] }, 16_384));
    collectGarbage();
    const retained = process.memoryUsage().heapUsed - before;
    expect(previews).toHaveLength(50);
    // The previews are 50 × 16 KiB; sharing the serialised values would keep 50 MiB.
    expect(retained).toBeLessThan(10 * 2 ** 20);
  });
});

describe("values with nothing to redact", () => {
  it("are kept as they are, not copied", () => {
    const result = { content: [{ type: "text", text: "Echo: hi" }], isError: false, n: 1.5 };
    expect(redactAndCap(result, 16_384)).toBe(result);
  });

  it("are still redacted when a secret-looking key hides deep inside, and copied", () => {
    const params = { name: "call", arguments: { nested: [{ deeper: { apiKey: "sk-123" } }] } };
    const stored = redactAndCap(params, 16_384);
    expect(stored).toEqual({
      name: "call",
      arguments: { nested: [{ deeper: { apiKey: "[redacted]" } }] },
    });
    expect(params.arguments.nested[0]?.deeper.apiKey).toBe("sk-123");
  });

  it("are copied as JSON would store them when they are not plain data", () => {
    const at = new Date("2026-01-02T03:04:05Z");
    expect(redactAndCap({ at, ratio: Number.NaN, gone: undefined }, 16_384)).toEqual({
      at: "2026-01-02T03:04:05.000Z",
      ratio: null,
    });
    expect(redactAndCap({ text: "a\0b" }, 16_384)).toEqual({ text: "a\uFFFDb" });
  });

  it("are truncated like any other when their JSON is over the cap", () => {
    const big = { text: "x".repeat(1000) };
    const stored = redactAndCap(big, 100) as TruncatedValue;
    expect(stored.truncated).toBe(true);
    expect(stored.bytes).toBe(JSON.stringify(big).length);
    expect(stored.preview).toBe(JSON.stringify(big).slice(0, 100));
  });
});

describe("values too large to have been parsed", () => {
  const big = "y".repeat(50_000);

  it("are stored with the preview the parsed value would have, and the size as sent", () => {
    const value = {
      content: [{ type: "text", text: `${big}` }],
      nested: [{ headers: { Authorization: "Bearer s3cret" } }],
      apiKey: { deep: ["s3cret"] },
    };
    // The secrets come after the long text in one case and before it in the other.
    // Multi-byte characters (one of them two UTF-16 units) make bytes and characters differ.
    const wide = { text: "é😀".repeat(20_000), secret: "s3cret" };
    for (const v of [value, { token: "s3cret", ...value }, wide]) {
      const text = JSON.stringify(v);
      for (const cap of [100, 49_990, 50_100, 60_000]) {
        const unparsed = redactAndCap(new UnparsedJson(Buffer.from(text)), cap) as TruncatedValue;
        const parsed = redactAndCap(v, cap) as TruncatedValue;
        const bytes = Buffer.byteLength(text);
        expect(unparsed).toEqual(bytes > cap ? { ...parsed, bytes } : parsed);
        expect(JSON.stringify(unparsed)).not.toContain("s3cret");
      }
    }
  });

  it("are redacted before the cut even when the secret value is longer than the preview", () => {
    const preview = redactedPrefix(Buffer.from(JSON.stringify({ token: big, after: 1 })), 40);
    expect(preview).toBe('{"token":"[redacted]","after":1}');
  });

  it("are parsed after all when they fit under the cap", () => {
    const small = new UnparsedJson(Buffer.from(JSON.stringify({ password: "s3cret", n: 1 })));
    expect(redactAndCap(small, 1000)).toEqual({ password: "[redacted]", n: 1 });
  });
});
