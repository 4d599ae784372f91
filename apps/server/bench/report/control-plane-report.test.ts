import { describe, expect, it } from "vitest";
import { figureOf } from "../round-stats.js";
import type { ControlPlaneResult, ListingFigures } from "../workloads/control-plane.js";
import { controlPlaneReports, controlPlaneTable } from "./control-plane-report.js";
import { checkTargets } from "./targets.js";

const listing = (rps: number[]): ListingFigures => ({
  requestsPerSecond: figureOf(rps),
  p50Ms: figureOf(rps.map((r) => 1000 / r)),
  p99Ms: figureOf(rps.map((r) => 2000 / r)),
  hostCpuMsPerListing: figureOf(rps.map((r) => 900 / r)),
  histograms: [],
});

const result: ControlPlaneResult = {
  servers: 1000,
  request: "GET /api/servers",
  responseBytes: 800 * 1024,
  byDatabase: {
    PGlite: { seedSeconds: 6, byConcurrency: { 1: listing([30, 32, 31]), 8: listing([40]) } },
  },
  skipped: { PostgreSQL: "TEST_POSTGRES_URL not set" },
};

describe("the control-plane report", () => {
  it("reports the highest concurrency's rate of each database, judging nothing", () => {
    const [pglite, postgres] = controlPlaneReports(result);
    expect(pglite).toMatchObject({
      status: "reported",
      figure: { median: 40 },
      what: expect.stringContaining("concurrency 8 (PGlite)"),
    });
    expect(postgres).toMatchObject({ status: "not measured", figure: undefined });
  });

  it("sits with the targets, not judged in a smoke run", () => {
    const checks = checkTargets({ controlPlane: result }, { quick: true });
    expect(checks.find((c) => c.what.endsWith("servers, concurrency 8 (PGlite)"))?.status).toBe(
      "not judged (--quick)",
    );
  });

  it("renders a row per database and concurrency, and says what was skipped", () => {
    const lines = controlPlaneTable(result);
    expect(lines).toContain(
      "| PGlite | 1 | 31.0 (30.0–32.0) | 32.3 (31.3–33.3) | 64.5 (62.5–66.7) | 29.0 (28.1–30.0) |",
    );
    expect(lines.join("\n")).toContain("800 KB");
    expect(lines.at(-1)).toBe("PostgreSQL: not measured (TEST_POSTGRES_URL not set).");
  });
});
