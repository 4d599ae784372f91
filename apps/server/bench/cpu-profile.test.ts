import { describe, expect, it } from "vitest";
import { areaOf, type CpuProfile, summarizeProfiles } from "./cpu-profile.js";

const frame = (id: number, functionName: string, url = "", lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
});

describe("CPU profile summaries", () => {
  it("groups code by package, by folder of our source, by node internals", () => {
    expect(areaOf("file:///w/node_modules/pino/lib/proto.js", "write")).toBe("pino");
    expect(areaOf("file:///w/node_modules/@hono/node-server/dist/index.mjs", "x")).toBe(
      "@hono/node-server",
    );
    expect(areaOf("file:///w/apps/server/src/gateway/gateway.ts", "proxy")).toBe("src/gateway");
    expect(areaOf("node:internal/streams/readable", "read")).toBe("node:internal/streams");
    expect(areaOf("", "(garbage collector)")).toBe("(garbage collector)");
  });

  it("adds up self time per area and function, leaving idle time out of the shares", () => {
    const profile: CpuProfile = {
      nodes: [
        frame(1, "(root)"),
        frame(2, "(idle)"),
        frame(3, "write", "file:///w/node_modules/pino/lib/proto.js", 9),
        frame(4, "proxy", "file:///w/apps/server/src/gateway/gateway.ts", 99),
      ],
      samples: [2, 3, 4, 3, 2],
      timeDeltas: [5000, 1000, 2000, 1000, 5000],
    };
    const summary = summarizeProfiles([profile, profile]);
    expect(summary).toMatchObject({ busyMs: 8, idleMs: 20 });
    expect(summary.byArea).toEqual([
      { name: "pino", ms: 4, share: 0.5 },
      { name: "src/gateway", ms: 4, share: 0.5 },
    ]);
    expect(summary.byFunction[0]?.name).toBe("write node_modules/pino/lib/proto.js:10");
  });
});
