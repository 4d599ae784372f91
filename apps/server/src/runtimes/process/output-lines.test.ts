import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import type { LogLine } from "../runtime.js";
import { forwardLines, MAX_LINE_BYTES, TRUNCATED_MARK } from "./output-lines.js";

async function linesOf(chunks: (string | Buffer)[]): Promise<LogLine[]> {
  const stream = new PassThrough();
  const lines: LogLine[] = [];
  const done = forwardLines(stream, "stderr", (line) => lines.push(line));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return lines;
}

describe("forwardLines", () => {
  test("joins chunks into lines, drops CR, and sends a last line without newline", async () => {
    const lines = await linesOf(["hel", "lo\r\nwor", "ld\n\nlast"]);
    expect(lines.map((l) => l.line)).toEqual(["hello", "world", "", "last"]);
    expect(lines.every((l) => l.stream === "stderr" && l.time instanceof Date)).toBe(true);
  });

  test("cuts a line at 8 KiB, marks it, and drops the rest of that line only", async () => {
    const long = "x".repeat(MAX_LINE_BYTES * 3);
    const lines = await linesOf([long.slice(0, 5000), `${long.slice(5000)}\nnext\n`]);
    expect(lines.map((l) => l.line)).toEqual(["x".repeat(MAX_LINE_BYTES) + TRUNCATED_MARK, "next"]);
  });

  test("a failing sink does not stop the stream", async () => {
    const stream = new PassThrough();
    const done = forwardLines(stream, "stdout", () => {
      throw new Error("sink down");
    });
    stream.end("a\nb\n");
    await expect(done).resolves.toBeUndefined();
  });
});
