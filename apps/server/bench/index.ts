import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { nginxVersion } from "./arms/nginx.js";
import { describeMachine } from "./report/machine.js";
import { renderMarkdown, updateBenchmarksDoc } from "./report/markdown.js";
import { type BenchResults, resultFileStem } from "./report/results.js";
import { checkTargets } from "./report/targets.js";
import {
  ARM_NAMES,
  FULL,
  parseList,
  QUICK,
  WORKLOADS,
  type WorkloadName,
  withRounds,
  withSoakMinutes,
} from "./settings.js";
import { runSuite } from "./suite.js";

const USAGE = `npm run bench [-- options]

Measures MCP Host's gateway side by side with a direct connection and with nginx (issue 6).

  --quick            smoke run: every arm and workload, tiny durations, one round (well under a
                     minute); results go to a temp folder, docs/benchmarks.md is left alone
  --only <list>      workloads, comma-separated: ${WORKLOADS.join(", ")}
  --arms <list>      arms, comma-separated: ${ARM_NAMES.join(", ")} (A1 comes along with A2, A3 or A7,
                     A4 with A5 or A6)
  --rounds <n>       rounds of every workload (default: 5 latency, 3 saturation, 5 half-load, 3 job pickup)
  --soak-minutes <n> how long the soak's load runs (default 30; --quick: 10 s); a run with it
                     leaves docs/benchmarks.md alone
  --profile          CPU-profile the gateway process (the host of A2, A5, A6) and print where
                     its time goes
  --out <dir>        where the results JSON and markdown go (default: bench/results)
  --no-docs          do not update docs/benchmarks.md
  --render <file>    measure nothing: render a results JSON again (tables, docs/benchmarks.md)
  -h, --help

A full run (no --quick, --only, --arms or --soak-minutes) takes about 40 minutes, 30 of them the
soak, which runs last and alone (--only soak runs just the soak), and writes its tables into
docs/benchmarks.md.
TEST_POSTGRES_URL set: job pickup and the control plane are measured on PostgreSQL too (the
control plane needs it under CI=true).`;

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      arms: { type: "string" },
      rounds: { type: "string" },
      "soak-minutes": { type: "string" },
      profile: { type: "boolean", default: false },
      out: { type: "string" },
      "no-docs": { type: "boolean", default: false },
      render: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.render) return render(values.render, !values["no-docs"]);
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1))
    throw new Error("--rounds must be a whole number, at least 1");
  const soakMinutes =
    values["soak-minutes"] === undefined ? undefined : Number(values["soak-minutes"]);
  const settings = withSoakMinutes(withRounds(values.quick ? QUICK : FULL, rounds), soakMinutes);
  const workloads: WorkloadName[] = parseList(values.only, WORKLOADS, "workload");
  const chosen = parseList(values.arms, ARM_NAMES, "arm");
  // The comparisons (added latency, ratios, the half-load rate) are against A1, or A4 for stdio.
  const needs = (base: string, overs: string[]) =>
    overs.some((a) => chosen.includes(a as (typeof ARM_NAMES)[number])) ? [base] : [];
  const arms = ARM_NAMES.filter(
    (a) =>
      chosen.includes(a) ||
      [...needs("A1", ["A2", "A3", "A7"]), ...needs("A4", ["A5", "A6"])].includes(a),
  );
  // The docs' soak is the issue's 30 minutes: a shorter one is a partial run.
  const partial =
    values.only !== undefined || values.arms !== undefined || soakMinutes !== undefined;

  const startedAt = new Date();
  const workDir = await mkdtemp(join(tmpdir(), "mcphost-bench-"));
  const log = (line: string) => console.log(line);
  log(`MCP Host benchmarks${values.quick ? " (--quick smoke run)" : ""}; work folder ${workDir}`);
  let outcome: Awaited<ReturnType<typeof runSuite>>;
  try {
    outcome = await runSuite({
      settings,
      workloads,
      arms,
      workDir,
      profile: values.profile,
      postgresUrl: process.env.TEST_POSTGRES_URL || undefined,
      log,
    });
  } catch (err) {
    console.error(`\nThe benchmark broke: ${(err as Error).stack ?? err}`);
    console.error(`Logs of the servers it ran are kept in ${workDir}`);
    return 1;
  }

  const results: BenchResults = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: values.quick,
    machine: describeMachine(REPO_ROOT, await nginxVersion().catch(() => undefined)),
    settings,
    arms: outcome.arms,
    workloads: outcome.workloads,
    targets: checkTargets(outcome.workloads, { quick: values.quick }),
    ...(outcome.profile ? { profile: outcome.profile } : {}),
  };
  const outDir =
    values.out ??
    (values.quick ? join(tmpdir(), "mcphost-bench-results") : join(REPO_ROOT, "bench/results"));
  await mkdir(outDir, { recursive: true });
  const stem = join(outDir, resultFileStem(startedAt));
  await writeFile(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const shown = relative(REPO_ROOT, `${stem}.json`);
  const markdown = renderMarkdown(results, shown.startsWith("..") ? `${stem}.json` : shown);
  await writeFile(`${stem}.md`, markdown);
  log(`\n${markdown}`);
  log(`Results: ${stem}.json`);
  for (const [i, file] of (outcome.profileFiles ?? []).entries()) {
    const kept = `${stem}.gateway${i ? `-${i}` : ""}.cpuprofile`;
    await copyFile(file, kept);
    log(`Gateway CPU profile (open in Chrome DevTools, Performance tab): ${kept}`);
  }
  if (!values.quick && !partial && !values["no-docs"]) {
    await updateBenchmarksDoc(join(REPO_ROOT, "docs/benchmarks.md"), markdown);
    log("docs/benchmarks.md updated");
  }
  if (values.quick) log("Smoke run: the figures above are not meaningful and nothing judges them.");
  await rm(workDir, { recursive: true, force: true });
  return 0;
}

/** Re-renders a results file after a change of the tables, without measuring again. */
async function render(file: string, docs: boolean): Promise<number> {
  const results = JSON.parse(await readFile(file, "utf8")) as BenchResults;
  results.targets = checkTargets(results.workloads, { quick: results.quick });
  const stem = file.replace(/\.json$/, "");
  const shown = relative(REPO_ROOT, resolve(file));
  const markdown = renderMarkdown(results, shown.startsWith("..") ? file : shown);
  await writeFile(`${stem}.md`, markdown);
  console.log(markdown);
  if (docs && !results.quick) {
    await updateBenchmarksDoc(join(REPO_ROOT, "docs/benchmarks.md"), markdown);
    console.log("docs/benchmarks.md updated");
  }
  return 0;
}

// Exit explicitly: a database or timer left open by a workload must not keep a finished run alive.
process.exit(
  await main().catch((err: Error) => {
    console.error(err.message);
    return 2;
  }),
);
