import { describe, expect, it } from "vitest";
import { inParallel, parseGauge } from "./memory-gateway.js";

describe("the memory workloads' helpers", () => {
  it("sums a gauge over its series and ignores its help and other metrics", () => {
    const text = [
      "# HELP mcphost_mcp_active_sessions Open MCP sessions, by server",
      "# TYPE mcphost_mcp_active_sessions gauge",
      'mcphost_mcp_active_sessions{server="srv_a"} 3',
      'mcphost_mcp_active_sessions{server="srv_b"} 4',
      "mcphost_mcp_active_sessions_other 100",
      "nodejs_heap_size_used_bytes 123",
    ].join("\n");
    expect(parseGauge(text, "mcphost_mcp_active_sessions")).toBe(7);
    expect(parseGauge("# TYPE x gauge\n", "mcphost_mcp_active_sessions")).toBe(0);
  });

  it("runs every task once, no more than the concurrency at a time", async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await inParallel(10, 3, async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 2));
      seen.push(i);
      running--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });
});
