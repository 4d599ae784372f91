import { readFile, writeFile } from "node:fs/promises";
import { reapPeriodMs } from "../../src/gateway/gateway-background.js";
import { type Figure, formatFigure, median } from "../round-stats.js";
import { controlPlaneTable } from "./control-plane-report.js";
import { deployLines } from "./deploy-markdown.js";
import { largeResultLines } from "./large-result-markdown.js";
import { machineLine } from "./machine.js";
import type { BenchResults } from "./results.js";
import { soakLines } from "./soak-markdown.js";

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => "---"))];
/** Tenths of a microsecond matter at the loopback floor; in the milliseconds they are noise. */
const f = (figure: Figure | undefined, digits?: number) =>
  figure ? formatFigure(figure, digits ?? (Math.abs(figure.median) >= 100 ? 0 : 1)) : "–";

/** The run as markdown tables: what `docs/benchmarks.md` shows and the console prints. */
export function renderMarkdown(results: BenchResults, resultFile: string): string {
  const { workloads } = results;
  const label = (name: string) => {
    const arm = results.arms.find((a) => a.name === name);
    return arm ? `${name} ${arm.label}` : name;
  };
  const lines: string[] = [
    `Measured ${results.finishedAt.slice(0, 10)} on ${machineLine(results.machine)}.`,
    `Each figure: median of the rounds (min–max). Raw figures, every round and histograms: \`${resultFile}\`.`,
  ];
  const skipped = results.arms.filter((a) => a.status === "skipped");
  for (const arm of skipped) lines.push("", `${arm.name} ${arm.label}: skipped (${arm.reason}).`);

  const latency = workloads.echoLatency;
  if (latency) {
    lines.push("", "**Echo latency, concurrency 1** (µs)", "");
    lines.push(...header(["arm", "p50", "p90", "p99", "req/s"]));
    for (const [name, fig] of Object.entries(latency.byArm))
      lines.push(
        row([label(name), f(fig.p50Us), f(fig.p90Us), f(fig.p99Us), f(fig.requestsPerSecond, 0)]),
      );
    for (const [pair, fig] of Object.entries(latency.added))
      lines.push(row([`added: ${pair}`, f(fig.p50Us), f(fig.p90Us), f(fig.p99Us), ""]));
  }

  const cpu = workloads.cpuPerRequest;
  if (cpu) {
    lines.push(
      "",
      `**CPU time per call** (the arm's own process and its children; closed loop, concurrency ${cpu.concurrency}) (µs)`,
      "",
    );
    lines.push(...header(["arm", "CPU per call", "req/s meanwhile"]));
    for (const [name, fig] of Object.entries(cpu.byArm))
      lines.push(row([label(name), f(fig.cpuUsPerRequest, 0), f(fig.requestsPerSecond, 0)]));
    for (const [pair, fig] of Object.entries(cpu.ratios))
      lines.push(row([`ratio ${pair}`, `${f(fig, 2)} ×`, ""]));
  }

  const sat = workloads.saturation;
  if (sat) {
    lines.push("", "**Saturation throughput** (closed loop, rising concurrency)", "");
    lines.push(...header(["arm", "req/s", "at concurrency", "vs A1"]));
    for (const [name, fig] of Object.entries(sat.byArm))
      lines.push(
        row([
          label(name),
          f(fig.requestsPerSecond, 0),
          f(fig.concurrency, 0),
          f(sat.ratios[`${name}/A1`], 2),
        ]),
      );
  }

  const half = workloads.halfLoad;
  if (half) {
    lines.push(
      "",
      `**Latency at half of A1's saturation** (open loop, ${half.rate} req/s offered) (µs)`,
      "",
    );
    lines.push(
      ...header(["arm", "p50", "p99", "added p50 vs A1", "added p99 vs A1", "requests not sent"]),
    );
    for (const [name, fig] of Object.entries(half.byArm)) {
      const added = half.added[`${name}-A1`];
      // An arm that saturates below the offered rate falls behind until every client slot waits.
      const notSent = median(fig.samples.map((s) => s.dropped));
      lines.push(
        row([
          label(name),
          f(fig.p50Us),
          f(fig.p99Us),
          f(added?.p50Us),
          f(added?.p99Us),
          notSent > 0 ? `${notSent} (overloaded)` : "0",
        ]),
      );
    }
  }

  lines.push(...sessionTables(results, label));
  if (workloads.largeResult) lines.push(...largeResultLines(workloads.largeResult));

  const pickup = workloads.jobPickup;
  if (pickup) {
    lines.push("", `**Job pickup when idle** (${pickup.samplesPerRound} jobs a round) (ms)`, "");
    lines.push(...header(["database", "p50", "p95", "max"]));
    for (const [name, fig] of Object.entries(pickup.byDatabase))
      lines.push(row([name, f(fig.p50Ms, 2), f(fig.p95Ms, 2), f(fig.maxMs, 2)]));
  }
  if (workloads.controlPlane) lines.push(...controlPlaneTable(workloads.controlPlane));
  if (workloads.deploy) lines.push(...deployLines(workloads.deploy));
  if (workloads.soak) lines.push(...soakLines(workloads.soak));

  lines.push("", "**Targets of issue 6 measured so far**", "");
  lines.push(...header(["target", "figure", "goal", "status"]));
  for (const t of results.targets)
    lines.push(
      row([
        t.what,
        t.figure
          ? `${f(t.figure, t.unit === "µs" ? undefined : 2)}${t.unit ? ` ${t.unit}` : ""}`
          : "–",
        t.goal,
        t.status,
      ]),
    );
  return `${lines.join("\n")}\n`;
}

/** Session churn, idle sessions, abandoned sessions, invalid requests. */
function sessionTables(results: BenchResults, label: (name: string) => string): string[] {
  const { sessionChurn, idleSessions, abandonedSessions, invalidRequests } = results.workloads;
  const lines: string[] = [];
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  if (sessionChurn) {
    lines.push(
      "",
      `**Session churn** (initialize, tools/list, tools/call, close; ${sessionChurn.concurrency} clients at a time)`,
      "",
    );
    lines.push(
      ...header([
        "arm",
        "sessions/s",
        "p50 per session (ms)",
        "CPU per session, arm's process (ms)",
        "vs direct",
      ]),
    );
    for (const [name, fig] of Object.entries(sessionChurn.byArm)) {
      const ratio = Object.entries(sessionChurn.ratios).find(([k]) => k.startsWith(`${name}/`));
      const cpu = fig.cpuMsPerSession ? f(fig.cpuMsPerSession, 2) : "–";
      lines.push(
        row([
          label(name),
          f(fig.sessionsPerSecond),
          f(fig.p50Ms),
          cpu,
          ratio ? f(ratio[1], 2) : "–",
        ]),
      );
    }
  }
  if (idleSessions) {
    lines.push("", "**Idle sessions** (gateway → A1 over HTTP; memory after a full GC)", "");
    lines.push(...header(["sessions open", "heap used (MiB)", "RSS (MiB)"]));
    for (const p of idleSessions.points)
      lines.push(row([p.sessions, mib(p.heapUsedBytes), mib(p.rssBytes)]));
    lines.push(
      "",
      `Slope: ${(idleSessions.heapBytesPerSession.median / 1024).toFixed(1)} KB of heap per session ` +
        `(r² ${idleSessions.r2}), ${(idleSessions.rssBytesPerSession / 1024).toFixed(1)} KB of RSS.`,
    );
  }
  if (invalidRequests) {
    const kb = (b: number) => (b / 1024).toFixed(0);
    lines.push(
      "",
      `**Invalid requests**: ${invalidRequests.requests} refused (no key, wrong key, not JSON, ` +
        `unknown session, call before initialize); heap after GC ${kb(invalidRequests.retainedBytes.median)} KB ` +
        `from before (readings before varied by ${kb(invalidRequests.noiseBytes)} KB).`,
    );
  }
  if (abandonedSessions) {
    const a = abandonedSessions;
    lines.push(
      "",
      `**Abandoned sessions**: ${a.reclaimed} of ${a.sessions} reclaimed ${a.seconds} s after their ` +
        `last use (idle timeout ${a.idleSeconds} s, reaper every ${reapPeriodMs(a.idleSeconds * 1000) / 1000} s).`,
    );
  }
  return lines;
}

const START =
  "<!-- bench:latest:start (written by `npm run bench`; edit outside these markers) -->";
const END = "<!-- bench:latest:end -->";

/**
 * Puts the run's tables into `docs/benchmarks.md` between the markers, leaving the hand-written
 * rest (how to run, what each arm is, before/after notes) as it is. A missing file is created.
 */
export async function updateBenchmarksDoc(path: string, markdown: string): Promise<void> {
  const block = `${START}\n${markdown}${END}`;
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === undefined) {
    await writeFile(path, `# Benchmarks\n\n## Latest run\n\n${block}\n`);
    return;
  }
  const start = current.indexOf("<!-- bench:latest:start");
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n## Latest run\n\n${block}\n`;
  await writeFile(path, next);
}
