import { describe, expect, it } from "vitest";
import type { SoakResult } from "../workloads/soak.js";
import { shortError, soakLines } from "./soak-markdown.js";

const MB = 2 ** 20;
const churn = { opened: 10, closed: 6, abandoned: 4, calls: 30, errors: 0 };
const result: SoakResult = {
  loadSeconds: 1800,
  sampleSeconds: 10,
  warmupSeconds: 360,
  idleSeconds: 10,
  reapSeconds: 2.5,
  saturation: 2000,
  rate: 1000,
  calls: 1_800_000,
  errors: 0,
  dropped: 0,
  p50Us: 2100,
  p99Us: 15_500,
  churn: { http: churn, stdio: { ...churn, opened: 3, abandoned: 1 } },
  rss: {
    startBytes: 500 * MB,
    endBytes: 520 * MB,
    growth: {
      bytesPerHour: -0.5 * MB,
      stdErrBytesPerHour: 0.25 * MB,
      r2: 0.04,
      points: 144,
      fromSeconds: 360,
      toSeconds: 1790,
    },
    beforeGcGrowth: undefined,
  },
  heap: { startBytes: 58 * MB, endBytes: 59 * MB, growth: undefined },
  waitedSeconds: 12.3,
  leakedSessions: 0,
  childrenAtRest: { count: 6, names: "bwrap×4, node×2" },
  childrenAfter: { count: 9, names: "bwrap×6, node×3" },
  leakedChildren: 3,
  samples: [],
};

describe("the soak's table", () => {
  it("shows the load, the growth with its error, and what was left", () => {
    const text = soakLines(result).join("\n");
    expect(text).toContain("**Soak**: 30 min at half");
    expect(text).toContain("1000 req/s offered (half of 2000 req/s)");
    expect(text).toContain("1,800,000 answered, 0 errors");
    expect(text).toContain("10 opened, 4 of them abandoned");
    expect(text).toContain("500.0 → 520.0 MiB; growth after the first 360 s: −0.50 MB/h (± 0.25");
    expect(text).toContain("too few readings after the warm-up");
    expect(text).toContain("9 after the wait (bwrap×6, node×3), 6 at rest");
    expect(text).toContain("3 leaked");
  });
});

describe("an error in a few words", () => {
  it("keeps a problem answer's status and detail", () => {
    const problem =
      'HTTP 503: {"type":"urn:mcphost:problem:service-unavailable","title":"Service unavailable",' +
      '"status":503,"detail":"The server did not answer: other side closed","instance":"/mcp/x"}';
    expect(shortError(problem)).toBe("HTTP 503: The server did not answer: other side closed");
    expect(shortError("echo answered something else")).toBe("echo answered something else");
  });
});
