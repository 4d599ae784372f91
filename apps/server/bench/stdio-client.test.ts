import { describe, expect, it } from "vitest";
import { EVERYTHING } from "./arms/direct.js";
import { closedLoop } from "./latency-client.js";
import { ECHO_TEXT, firstText } from "./mcp-wire.js";
import { StdioSessionClient } from "./stdio-client.js";

describe("the stdio measured-call adapter", () => {
  it("times echo over stdio through the same loop as the HTTP client", async () => {
    const client = new StdioSessionClient(process.execPath, [EVERYTHING, "stdio"]);
    try {
      const session = await client.openSession();
      const { ns, response } = await session.echo(0);
      expect(firstText(response)).toBe(ECHO_TEXT);
      expect(ns).toBeGreaterThan(0n);
      const tools = (await session.listTools()).result as { tools: Array<{ name: string }> };
      expect(tools.tools.map((t) => t.name)).toContain("echo");
      const result = await closedLoop(session, { concurrency: 2, durationMs: 200, warmupMs: 20 });
      expect(result.errors).toBe(0);
      expect(result.requests).toBeGreaterThan(0);
      expect(result.histogram.totalCount).toBe(result.requests);
      await session.close();
    } finally {
      await client.close();
    }
  }, 30_000);
});
