import { type Figure, formatFigure } from "../round-stats.js";
import type { Baseline, DeployResult, DeployRuntime } from "../workloads/deploy.js";
import { MILESTONES, type Milestone } from "../workloads/deploy-timeline.js";

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => "---"))];
const f = (figure: Figure | undefined) => (figure ? formatFigure(figure, 0) : "–");

const BASELINE_WORDS: Record<Baseline, string> = {
  "bare spawn": "bare spawn (`node <entry>`)",
  "bwrap spawn": "bwrap spawn (the runtime's sandbox)",
  "docker run": "`docker run -i --rm` (the runtime's container)",
};

/**
 * The deploy workload: the gateway's deploy → first `tools/list` against starting the same server
 * without MCP Host, then where the median round's time went, step by step, for each runtime.
 */
export function deployLines(deploy: DeployResult): string[] {
  const lines = [
    "",
    "**Deploy to first tools/list** (ms): `POST /api/servers` → the first `tools/list` answered " +
      "through the gateway (package already installed), against spawn → `tools/list` of the same " +
      "server without MCP Host",
    "",
    ...header(["runtime", "gateway", "baseline", "baseline ms", "gateway − baseline"]),
  ];
  const runtimes = Object.entries(deploy.byRuntime) as Array<
    [DeployRuntime, NonNullable<DeployResult["byRuntime"][DeployRuntime]>]
  >;
  for (const [runtime, result] of runtimes) {
    for (const [i, [baseline, figure]] of Object.entries(result.baselineMs).entries())
      lines.push(
        row([
          i === 0 ? runtime : "",
          i === 0 ? f(result.gatewayMs) : "",
          BASELINE_WORDS[baseline as Baseline],
          f(figure),
          f(result.addedMs[baseline as Baseline]),
        ]),
      );
  }
  for (const [runtime, reason] of Object.entries(deploy.skipped))
    lines.push("", `The ${runtime} runtime was skipped: ${reason}.`);
  const notes = deploy.byRuntime.process?.notes ?? [];
  if (notes.length > 0) lines.push("", `Process runtime: ${notes.join("; ")}.`);

  for (const [runtime, result] of runtimes) {
    lines.push(
      "",
      `Where the time goes, ${runtime} runtime (the median round, its steps in the order they happened):`,
      "",
      ...header(["step", "ms after the POST", "since the step before"]),
    );
    const timeline = medianTimeline(result);
    // Ordered by time: the spare starts while the main instance does, not after it.
    const steps = MILESTONES.filter((m) => timeline[m] !== undefined).sort(
      (a, b) => (timeline[a] as number) - (timeline[b] as number),
    );
    let previous = 0;
    for (const step of steps) {
      const at = timeline[step] as number;
      lines.push(row([step, at.toFixed(0), `+${(at - previous).toFixed(0)}`]));
      previous = at;
    }
  }
  return lines;
}

/** The round whose gateway time is the median (the lower one of two middles). */
function medianTimeline(result: {
  gatewayMs: Figure;
  timelines: Array<Partial<Record<Milestone, number>>>;
}): Partial<Record<Milestone, number>> {
  const { rounds } = result.gatewayMs;
  const sorted = [...rounds].sort((a, b) => a - b);
  const middle = sorted[(sorted.length - 1) >> 1] as number;
  return result.timelines[rounds.indexOf(middle)] ?? {};
}
