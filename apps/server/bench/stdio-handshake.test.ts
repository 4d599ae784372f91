import { describe, expect, it } from "vitest";
import { EVERYTHING } from "./arms/direct.js";
import { LineReader, timeStdioHandshake } from "./stdio-handshake.js";

describe("the stdio handshake timer", () => {
  it("splits newline-delimited messages fed in any chunks", () => {
    const stream = '{"a":1}\n\n{"b":2}\r\n{"c":3}\n';
    for (const size of [1, 2, 5, stream.length]) {
      const reader = new LineReader();
      const lines: string[] = [];
      for (let i = 0; i < stream.length; i += size)
        lines.push(...reader.push(stream.slice(i, i + size)));
      expect(lines, `chunks of ${size}`).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    }
  });

  it("times spawn, initialize and tools/list of server-everything", async () => {
    const timing = await timeStdioHandshake({
      command: process.execPath,
      args: [EVERYTHING, "stdio"],
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(timing.tools).toBeGreaterThan(0);
    expect(timing.ms).toBeGreaterThan(0);
  });

  it("reports a server that exits without answering, with its stderr", async () => {
    await expect(
      timeStdioHandshake({
        command: process.execPath,
        args: ["-e", "console.error('boom'); process.exit(3)"],
        env: {},
      }),
    ).rejects.toThrow(/exited before answering[\s\S]*boom/);
  });
});
