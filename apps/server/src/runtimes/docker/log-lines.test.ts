import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import type { LogLine } from "../runtime.js";
import { MAX_LINE_BYTES, pipeLines } from "./log-lines.js";

async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
  const got: LogLine[] = [];
  const stream = new PassThrough();
  const done = pipeLines(stream, "stderr", (l) => got.push(l));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  expect(got.every((l) => l.stream === "stderr" && l.time instanceof Date)).toBe(true);
  return got.map((l) => l.line);
}

test("splits on newlines across chunks, drops \\r, keeps an unterminated last line", async () => {
  expect(await linesOf(["a\r\nb", "c\n", "\n", "tail"])).toEqual(["a", "bc", "", "tail"]);
});

test("a multi-byte character split across chunks survives", async () => {
  const euro = Buffer.from("€\n");
  expect(await linesOf([euro.subarray(0, 1), euro.subarray(1)])).toEqual(["€"]);
});

test("long lines are cut into pieces of at most 8 KiB, without breaking characters", async () => {
  const long = "é".repeat(MAX_LINE_BYTES); // 2 bytes each: 16 KiB
  const lines = await linesOf([`${long}\n`]);
  expect(lines.map((l) => Buffer.byteLength(l))).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES]);
  expect(lines.join("")).toBe(long);
});

test("output without any newline is flushed in pieces rather than buffered forever", async () => {
  const got: string[] = [];
  const stream = new PassThrough();
  void pipeLines(stream, "stdout", (l) => got.push(l.line));
  stream.write("x".repeat(MAX_LINE_BYTES * 2 + 10));
  await new Promise((r) => setImmediate(r));
  expect(got.map((l) => l.length)).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES]);
  stream.end();
});
