import { type Figure, figureOf, formatFigure } from "../round-stats.js";
import type { LargeResultResult } from "../workloads/large-result-figures.js";

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => "---"))];
const f = (figure: Figure | undefined, digits = 1) => (figure ? formatFigure(figure, digits) : "–");
const mib = (figure: Figure) => figureOf(figure.rounds.map((b) => b / 2 ** 20));

/**
 * The large-result workload as markdown: throughput of each arm at each concurrency with the
 * gateway's share of direct, then the gateway's RSS with requests in flight.
 */
export function largeResultLines(result: LargeResultResult): string[] {
  const size = `${Math.round((result.bytes / 2 ** 20) * 100) / 100} MiB`;
  const lines = [
    "",
    `**${size} tool results** (closed loop; each arm's setup in front of a server whose tool returns ${size} of text; CPU: the arm's own process per result, A1's being the server's)`,
    "",
    ...header(["arm", "concurrency", "results/s", "MiB/s", "p50 (ms)", "CPU ms/result", "vs A1"]),
  ];
  for (const [name, arm] of Object.entries(result.byArm)) {
    const label = `${name} ${result.arms[name] ?? ""}`.trim();
    for (const [concurrency, fig] of Object.entries(arm.byConcurrency))
      lines.push(
        row([
          label,
          concurrency,
          f(fig.resultsPerSecond),
          f(fig.mibPerSecond),
          f(fig.p50Ms),
          f(fig.cpuMsPerResult, 2),
          name === "A1" ? "" : f(fig.vsDirect, 2),
        ]),
      );
  }
  if (result.peakRatio)
    lines.push(
      "",
      `At each arm's best concurrency, A2 / A1: ${f(result.peakRatio, 2)} (paired per round).`,
    );
  const rss = Object.entries(result.rssByInFlight);
  if (rss.length > 0) {
    const method = result.samples.rss.some((s) => s.method === "sampled")
      ? "VmRSS sampled every 20 ms"
      : "VmHWM";
    lines.push(
      "",
      `**Gateway RSS with ${size} results in flight** (after a full GC; peak: ${method})`,
      "",
      ...header(["in flight", "baseline (MiB)", "peak (MiB)", "per request (MiB)"]),
    );
    for (const [inFlight, fig] of rss)
      lines.push(
        row([
          inFlight,
          f(mib(fig.baselineBytes)),
          f(mib(fig.peakBytes)),
          f(mib(fig.bytesPerRequest), 2),
        ]),
      );
  }
  return lines;
}
