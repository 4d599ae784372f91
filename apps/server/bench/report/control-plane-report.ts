import { formatFigure } from "../round-stats.js";
import type { ControlPlaneResult } from "../workloads/control-plane.js";
import type { TargetCheck } from "./targets.js";

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

/** The control-plane workload as markdown lines (a heading, a table, what was skipped). */
export function controlPlaneTable(result: ControlPlaneResult): string[] {
  const kb = Math.round(result.responseBytes / 1024);
  const lines = [
    "",
    `**Control plane: listing ${result.servers} servers** (one \`${result.request}\` answers ` +
      `them all, ${kb} KB: the route does not paginate; a personal access token; closed loop)`,
    "",
    row([
      "database",
      "concurrency",
      "listings/s",
      "p50 (ms)",
      "p99 (ms)",
      "host CPU a listing (ms)",
    ]),
    row(["---", "---", "---", "---", "---", "---"]),
  ];
  for (const [database, { byConcurrency }] of Object.entries(result.byDatabase))
    for (const [concurrency, f] of Object.entries(byConcurrency))
      lines.push(
        row([
          database,
          concurrency,
          formatFigure(f.requestsPerSecond, 1),
          formatFigure(f.p50Ms, 1),
          formatFigure(f.p99Ms, 1),
          f.hostCpuMsPerListing ? formatFigure(f.hostCpuMsPerListing, 1) : "–",
        ]),
      );
  for (const [database, reason] of Object.entries(result.skipped))
    lines.push("", `${database}: not measured (${reason}).`);
  return lines;
}

/** The databases issue 6 asks the listing rate of. */
const DATABASES = ["PGlite", "PostgreSQL"] as const;

/**
 * Issue 6 asks for listings per second on each database without setting a goal: reported with
 * the targets (status "reported", or "not measured"), judged by nothing. The figure is the one at
 * the highest concurrency measured, the closest to the host's capacity.
 */
export function controlPlaneReports(result: ControlPlaneResult | undefined): TargetCheck[] {
  return DATABASES.map((database) => {
    const byConcurrency = result?.byDatabase[database]?.byConcurrency ?? {};
    const highest = Math.max(...Object.keys(byConcurrency).map(Number));
    const figure = byConcurrency[highest]?.requestsPerSecond;
    const what =
      `control plane: GET /api/servers of ${result?.servers ?? 1000} servers, ` +
      `${figure ? `concurrency ${highest}` : "highest concurrency"} (${database})`;
    return {
      what,
      goal: "reported (no goal set)",
      figure,
      unit: "listings/s",
      status: figure ? "reported" : "not measured",
    };
  });
}
