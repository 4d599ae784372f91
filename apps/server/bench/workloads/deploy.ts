import { spawn } from "node:child_process";
import { access, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SESSION_COOKIE } from "../../src/http/middleware/authenticate.js";
import { findBubblewrap } from "../../src/runtimes/process/sandbox-args.js";
import { type DeployedPackage, dockerLaunch, processLaunch } from "../arms/deploy-baselines.js";
import type { DockerSetup } from "../arms/gateway-host.js";
import { stdioEverything } from "../arms/gateway-stdio.js";
import { type McpHost, removeServer } from "../arms/mcp-host.js";
import { LatencyClient, RequestError } from "../latency-client.js";
import { addTo, type Figure, figureOf, pairedFigure } from "../round-stats.js";
import { StatusStream, wallNow } from "../status-stream.js";
import { type StdioLaunch, timeStdioHandshake } from "../stdio-handshake.js";
import { deployTimeline, type LogLine, MILESTONES, type Milestone } from "./deploy-timeline.js";

export interface DeploySettings {
  /** Measured deploys per runtime. */
  rounds: number;
  /**
   * An unmeasured deploy and baseline per runtime first (code paths loaded, caches warm). When
   * false, one happens only if the package is not installed yet: a deploy measured with the
   * install would not be "package installed" (a smoke run after A5 and A6 needs none).
   */
  warmUp: boolean;
}

export type DeployRuntime = "process" | "docker";

/** What the gateway's deploy time is compared with: the same server started without MCP Host. */
export type Baseline = "bare spawn" | "bwrap spawn" | "docker run";

export interface DeployRuntimeResult {
  /** `POST /api/servers` sent → the first `tools/list` answered through the gateway, in ms. */
  gatewayMs: Figure;
  /** Spawn → `tools/list` answered over stdio, without MCP Host, in ms. */
  baselineMs: Partial<Record<Baseline, Figure>>;
  /** Gateway − baseline, paired round by round. */
  addedMs: Partial<Record<Baseline, Figure>>;
  /** When each step of the deploy happened, ms after the `POST` (see deploy-timeline.ts). */
  milestones: Partial<Record<Milestone, Figure>>;
  /** Each round's steps (a median of each step apart may not keep their order). */
  timelines: Array<Partial<Record<Milestone, number>>>;
  /** What the runtime reported at its start: sandbox and limits (the process runtime's lines). */
  notes: string[];
}

export interface DeployResult {
  byRuntime: Partial<Record<DeployRuntime, DeployRuntimeResult>>;
  /** Why a runtime was not measured (no Docker engine on a run by hand). */
  skipped: Partial<Record<DeployRuntime, string>>;
}

const TIMEOUT_MS = 60_000;
/** Between connect attempts when the gateway answers 503 (it should not, once `running`). */
const RETRY_MS = 5;

interface Round {
  gatewayMs: number;
  baselines: Partial<Record<Baseline, number>>;
  milestones: Partial<Record<Milestone, number>>;
}

/**
 * Deploy to first successful `tools/list` (issue 6): how long a user waits between deploying
 * server-everything (an npm stdio server, already installed: see `DeploySettings.warmUp`) and
 * listing its tools through the gateway, against what starting the same server and listing its
 * tools costs without MCP Host, round by round. Runs on the shared gateway host, alone (the
 * latency arms are stopped by then). Without a Docker engine the Docker half is skipped, with
 * its reason (under CI=true that fails the run).
 */
export async function deploy(options: {
  host: McpHost;
  docker: () => Promise<DockerSetup>;
  settings: DeploySettings;
  workDir: string;
  log: (line: string) => void;
}): Promise<DeployResult> {
  const { host, log } = options;
  const began = wallNow();
  const result: DeployResult = { byRuntime: {}, skipped: {} };
  const cookie = host.admin.cookie(SESSION_COOKIE);
  const stream = await StatusStream.open(host.url, { cookie: `${SESSION_COOKIE}=${cookie}` });
  try {
    const runtimes: DeployRuntime[] = ["process"];
    const docker = await options.docker();
    if (docker.ok) runtimes.push("docker");
    else if (process.env.CI === "true") throw new Error(`deploy on Docker: ${docker.reason}`);
    else {
      result.skipped.docker = docker.reason;
      log(`  Docker runtime skipped: ${docker.reason}`);
    }
    const bwrap = await findBubblewrap(process.env.PATH ?? "");
    for (const runtime of runtimes) {
      const rounds: Round[] = [];
      const filesDir = join(options.workDir, `deploy-baseline-${runtime}`);
      await mkdir(filesDir, { recursive: true });
      let notes: string[] = [];
      // Round 0 is the warm-up: it installs the package and loads every code path once.
      const warmUp = options.settings.warmUp || !(await everythingInstalled(host));
      for (let round = warmUp ? 0 : 1; round <= options.settings.rounds; round++) {
        const deployed = await gatewayDeploy(host, stream, runtime, round);
        notes = deployed.notes;
        const target = { ...deployed.target, filesDir };
        const baselines: Partial<Record<Baseline, number>> = {};
        if (runtime === "process") {
          baselines["bare spawn"] = await timed(await processLaunch(target, null));
          if (bwrap) baselines["bwrap spawn"] = await timed(await processLaunch(target, bwrap));
        } else if (docker.ok) {
          baselines["docker run"] = await dockerRun(target, docker, round);
        }
        const said = Object.entries(baselines).map(([k, v]) => `${k} ${v.toFixed(0)} ms`);
        log(
          `  ${round === 0 ? "warm-up" : `round ${round}`} ${runtime}: gateway ${deployed.gatewayMs.toFixed(0)} ms, ${said.join(", ")}`,
        );
        if (round > 0) rounds.push({ ...deployed, baselines });
      }
      result.byRuntime[runtime] = summarize(rounds, notes);
    }
  } finally {
    stream.close();
  }
  log(`  (the deploy workload took ${((wallNow() - began) / 1000).toFixed(1)} s)`);
  return result;
}

/** Spawn → tools/list of one baseline, in ms. */
async function timed(launch: StdioLaunch): Promise<number> {
  const timing = await timeStdioHandshake(launch, { timeoutMs: TIMEOUT_MS });
  if (timing.tools === 0) throw new Error(`${launch.command} listed no tools`);
  return timing.ms;
}

async function dockerRun(
  target: DeployedPackage,
  docker: DockerSetup & { ok: true },
  round: number,
): Promise<number> {
  const instanceId = `bench-baseline-${process.pid}-${round}`;
  const { launch, container } = dockerLaunch(target, { ...docker, instanceId });
  try {
    return await timed(launch);
  } finally {
    // `--rm` removes it once the CLI's SIGTERM reached it; this covers a CLI that died first.
    await new Promise((resolve) =>
      spawn("docker", ["rm", "-f", container], { stdio: "ignore" }).once("close", resolve),
    );
  }
}

/**
 * One deploy through the gateway, timed as a user sees it: the user deploys, watches the status
 * (the web app follows `/api/servers/events`; the gateway answers 503 until `running`), and
 * connects the moment it says `running`. So the client follows the same stream and connects on
 * `running`, rather than hammering the gateway with connect attempts that would compete with the
 * deploy for the gateway's CPU; should a connect still get 503, it retries every 5 ms. The
 * server is deleted afterwards, and gone before the next step.
 */
async function gatewayDeploy(
  host: McpHost,
  stream: StatusStream,
  runtime: DeployRuntime,
  round: number,
) {
  const posted = wallNow();
  const created = await host.admin.post(
    "/api/servers",
    stdioEverything(runtime, `bench-deploy-${runtime}-${round}`),
  );
  const createdAt = wallNow();
  if (created.status !== 201)
    throw new Error(`creating the server failed: ${JSON.stringify(created.body)}`);
  const { id, mcpUrl, apiKey } = created.body as { id: string; mcpUrl: string; apiKey: string };
  try {
    const running = await stream.waitFor(id, ["running", "error", "crashloop"], TIMEOUT_MS);
    if (running.to !== "running")
      throw new Error(`the deploy ended in ${running.to}: ${running.reason ?? ""}`);
    const client = new LatencyClient({
      url: mcpUrl,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    let tools: unknown[];
    let listed: number;
    let initialized: number;
    try {
      const session = await connect(client, running.seenAt + TIMEOUT_MS);
      initialized = wallNow();
      const answer = await session.listTools();
      listed = wallNow();
      tools = (answer.result as { tools?: unknown[] } | undefined)?.tools ?? [];
      await session.close();
    } finally {
      await client.close();
    }
    if (tools.length === 0) throw new Error("the gateway listed no tools");
    const logs = await serverLogs(host, id);
    const milestones = deployTimeline(
      { posted, created: createdAt, runningSeen: running.seenAt, initialized, listed },
      stream.of(id),
      logs,
    );
    return {
      gatewayMs: listed - posted,
      milestones,
      target: await installedPackage(host, id),
      notes: runtimeNotes(logs),
    };
  } finally {
    await removeServer(host, id, TIMEOUT_MS);
  }
}

/** initialize + initialized, retried while the gateway answers 503 (not serving yet). */
async function connect(client: LatencyClient, deadline: number) {
  for (;;) {
    try {
      return await client.openSession();
    } catch (err) {
      const unavailable = err instanceof RequestError && err.message.startsWith("HTTP 503");
      if (!unavailable || wallNow() > deadline) throw err;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

/**
 * The server's log as stored. Lines are stored in batches (every 100 ms), so the log is read
 * again until the lifecycle's `running` line is in, and a moment after: the lines before it are
 * then stored too (a round's timeline would otherwise miss its last steps).
 */
async function serverLogs(host: McpHost, id: string): Promise<LogLine[]> {
  const deadline = wallNow() + 3000;
  for (;;) {
    const res = await host.admin.get(`/api/servers/${id}/logs?limit=1000`);
    if (res.status !== 200) throw new Error(`reading the server's log: ${res.status}`);
    const items = (res.body as { items: Array<{ time: string; stream: string; line: string }> })
      .items;
    const lines = items.map((l) => ({ at: Date.parse(l.time), stream: l.stream, line: l.line }));
    const runningLogged = lines.some((l) => l.stream === "system" && l.line === "running");
    if (runningLogged || wallNow() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The process runtime's words about the sandbox and limits of the main instance. */
function runtimeNotes(logs: LogLine[]): string[] {
  const main = logs.filter((l) => l.stream === "system" && !l.line.startsWith("[session "));
  return main
    .filter((l) => /^started pid |^limits: |^resource limits are not enforced|sandbox/.test(l.line))
    .map((l) => l.line.replace(/^started pid \d+ /, "started "));
}

/**
 * Where the deploy installed the package and the server's settings, read back, for the
 * baselines to start the same files with the same limits.
 */
async function installedPackage(
  host: McpHost,
  id: string,
): Promise<Omit<DeployedPackage, "filesDir">> {
  const { body } = await host.admin.get(`/api/servers/${id}`);
  const server = body as {
    source: { package: string };
    resolvedVersion: string;
    limits: DeployedPackage["limits"];
    network: DeployedPackage["network"];
  };
  const name = server.source.package;
  const packageDir = packageDirOf(host, name, server.resolvedVersion);
  const manifest = JSON.parse(
    await readFile(join(packageDir, "node_modules", name, "package.json"), "utf8"),
  ) as { bin: Record<string, string> };
  // The installer's choice for server-everything: its only bin.
  const bin = Object.values(manifest.bin)[0] as string;
  return {
    packageDir,
    entry: join("node_modules", name, bin),
    limits: server.limits,
    network: server.network,
  };
}

/** The installer's folder for a package (`<data>/packages/<name, "+" for "/">@<version>`). */
const packageDirOf = (host: McpHost, name: string, version: string) =>
  join(host.dataDir, "packages", `${name.replace("/", "+")}@${version}`);

/** Whether the host installed the server-everything that `stdioEverything` deploys. */
async function everythingInstalled(host: McpHost): Promise<boolean> {
  const { package: name, version } = stdioEverything("process").source;
  const manifest = join(packageDirOf(host, name, version), "node_modules", name, "package.json");
  return access(manifest).then(
    () => true,
    () => false,
  );
}

function summarize(rounds: Round[], notes: string[]): DeployRuntimeResult {
  const ms = (v: number) => Math.round(v * 10) / 10;
  const gateway = rounds.map((r) => ms(r.gatewayMs));
  const baselineRounds: Record<string, number[]> = {};
  const milestoneRounds: Record<string, number[]> = {};
  for (const round of rounds) {
    for (const [name, value] of Object.entries(round.baselines))
      addTo(baselineRounds, name, ms(value));
    for (const [name, value] of Object.entries(round.milestones))
      addTo(milestoneRounds, name, value);
  }
  const baselineMs: DeployRuntimeResult["baselineMs"] = {};
  const addedMs: DeployRuntimeResult["addedMs"] = {};
  for (const [name, values] of Object.entries(baselineRounds)) {
    baselineMs[name as Baseline] = figureOf(values);
    addedMs[name as Baseline] = pairedFigure(gateway, values, (g, b) => ms(g - b));
  }
  const milestones: DeployRuntimeResult["milestones"] = {};
  for (const name of MILESTONES) {
    const values = milestoneRounds[name];
    if (values) milestones[name] = figureOf(values);
  }
  const timelines = rounds.map((r) => r.milestones);
  return { gatewayMs: figureOf(gateway), baselineMs, addedMs, milestones, timelines, notes };
}
