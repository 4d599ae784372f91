import type { Arm, RunningArm, Upstream } from "./arms/arm.js";
import { ArmSkipped } from "./arms/arm.js";
import { directArm, startEverythingServer } from "./arms/direct.js";
import { gatewayArm } from "./arms/gateway.js";
import { type GatewayHost, gatewayHost } from "./arms/gateway-host.js";
import { gatewayDockerArm, gatewayStdioArm } from "./arms/gateway-stdio.js";
import { loopbackArm } from "./arms/loopback.js";
import { nginxArm } from "./arms/nginx.js";
import { nodeProxyArm } from "./arms/node-proxy.js";
import { stdioArm } from "./arms/stdio.js";
import {
  formatProfile,
  type ProfileSummary,
  readProfiles,
  summarizeProfiles,
} from "./cpu-profile.js";
import { runLargeResult } from "./large-result-suite.js";
import { closedLoop, LatencyClient } from "./latency-client.js";
import { ECHO_TEXT, firstText } from "./mcp-wire.js";
import type { BenchResults } from "./report/results.js";
import { searchSaturation } from "./saturation-search.js";
import { runSessionWorkloads, type SessionWorkloads } from "./session-suite.js";
import type { Settings, WorkloadName } from "./settings.js";
import { cpuPerRequest } from "./workloads/cpu-per-request.js";
import { deploy } from "./workloads/deploy.js";
import { echoLatency } from "./workloads/echo-latency.js";
import { halfLoad } from "./workloads/half-load.js";
import { assertHealthy, type MeasuredArm } from "./workloads/measured-arm.js";
import { saturation } from "./workloads/saturation.js";
import { sessionChurn } from "./workloads/session-churn.js";
import { runSoak } from "./workloads/soak.js";

export interface SuiteOptions {
  settings: Settings;
  workloads: WorkloadName[];
  arms: string[];
  workDir: string;
  profile: boolean;
  postgresUrl: string | undefined;
  log: (line: string) => void;
}

export interface SuiteOutcome {
  arms: BenchResults["arms"];
  workloads: BenchResults["workloads"];
  profile?: ProfileSummary | undefined;
  /** The gateway's `.cpuprofile` files (in the work folder), to keep for Chrome DevTools. */
  profileFiles?: string[] | undefined;
}

const ARM_WORKLOADS: WorkloadName[] = [
  "latency",
  "cpu",
  "saturation",
  "half-load",
  "session-churn",
];
/** The HTTP arms in front of one server-everything: saturation and half load measure these. */
const HTTP_ARMS = new Set(["A0", "A1", "A2", "A3", "A7"]);

/**
 * Starts the arms the chosen workloads need, runs the workloads in turn (each interleaving the
 * arms round by round), and stops every process it started, whatever happens.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const { settings, log } = options;
  const outcome: SuiteOutcome = { arms: [], workloads: {} };
  const wants = (w: WorkloadName) => options.workloads.includes(w);
  const cleanups: Array<() => Promise<void>> = [];
  const measured: MeasuredArm[] = [];
  let gatewayProfileDir: string | undefined;
  const gateway = gatewayHost({
    workDir: options.workDir,
    profile: options.profile,
    docker: (options.arms.includes("A6") && ARM_WORKLOADS.some(wants)) || wants("deploy"),
  });
  // A smoke run waits for the idle reaper while the other workloads run.
  const { background } = settings.abandonedSessions;
  const abandonedLater: Promise<SessionWorkloads> | undefined =
    wants("abandoned-sessions") && background
      ? runSessionWorkloads({ ...sessionOptions(options, gateway), abandoned: true })
      : undefined;
  // Never left unhandled while the rest runs; awaited (and thrown) below.
  abandonedLater?.catch(() => {});
  // The soak too in a smoke run; a full run's comes last, alone on the machine.
  const soakLater =
    wants("soak") && settings.soak.background
      ? runSoak({ settings, workDir: options.workDir, log })
      : undefined;
  soakLater?.catch(() => {});
  try {
    try {
      if (ARM_WORKLOADS.some(wants)) {
        const needsUpstream = options.arms.some((a) => ["A1", "A2", "A3", "A7"].includes(a));
        let upstream: Upstream | undefined;
        if (needsUpstream) {
          log("starting server-everything (Streamable HTTP), the upstream of A1, A2, A3, A7");
          const everything = await startEverythingServer(options.workDir);
          cleanups.push(() => everything.close());
          upstream = everything;
        }
        const arms: Arm[] = [];
        if (options.arms.includes("A0")) arms.push(loopbackArm(options.workDir));
        if (upstream) {
          if (options.arms.includes("A1")) arms.push(directArm(upstream));
          if (options.arms.includes("A2")) arms.push(gatewayArm(upstream, gateway));
          if (options.arms.includes("A3")) arms.push(nginxArm(upstream, options.workDir));
          if (options.arms.includes("A7")) arms.push(nodeProxyArm(upstream, options.workDir));
        }
        if (options.arms.includes("A4")) arms.push(stdioArm());
        if (options.arms.includes("A5")) arms.push(gatewayStdioArm(gateway));
        if (options.arms.includes("A6")) arms.push(gatewayDockerArm(gateway));
        // Started all at once (each waits mostly on its own process), then warmed up one by one.
        const started = await Promise.allSettled(
          arms.map((arm) => {
            log(`starting ${arm.name} ${arm.label}`);
            return arm.start();
          }),
        );
        for (const start of started) {
          if (start.status === "fulfilled") cleanups.push(() => start.value.close());
        }
        for (const [i, arm] of arms.entries()) {
          const start = started[i] as PromiseSettledResult<RunningArm>;
          if (start.status === "rejected") {
            const err = start.reason;
            // In CI every arm must run: a missing part (nginx) is a failure there, as in the tests.
            if (!(err instanceof ArmSkipped) || process.env.CI === "true") throw err;
            log(`  ${arm.name} skipped: ${err.message}`);
            outcome.arms.push({ ...describe(arm), status: "skipped", reason: err.message });
            continue;
          }
          const running = start.value;
          const client = "client" in running ? running.client : new LatencyClient(running);
          cleanups.push(() => client.close());
          if (running.profileDir) gatewayProfileDir = running.profileDir;
          outcome.arms.push({ ...describe(arm), status: "measured" });
          measured.push({ name: arm.name, label: arm.label, client, pid: running.pid });
          await warmUp(measured.at(-1) as MeasuredArm, settings.armWarmupMs);
        }
      }

      if (wants("latency")) {
        log("(a) echo latency at concurrency 1");
        outcome.workloads.echoLatency = await echoLatency(measured, { ...settings.latency, log });
      }
      if (wants("cpu")) {
        const { concurrency } = settings.cpuPerRequest;
        log(
          `(a') CPU time per call of each arm's process, closed loop at concurrency ${concurrency}`,
        );
        outcome.workloads.cpuPerRequest = await cpuPerRequest(
          measured.filter((a) => HTTP_ARMS.has(a.name)),
          { ...settings.cpuPerRequest, log },
        );
      }
      if (wants("saturation")) {
        log("(b) saturation throughput");
        outcome.workloads.saturation = await saturation(
          measured.filter((a) => HTTP_ARMS.has(a.name)),
          { ...settings.saturation, log },
        );
      }
      if (wants("half-load")) {
        const direct = measured.find((a) => a.name === "A1");
        if (!direct) {
          log("(c) skipped: latency at half load needs A1's saturation rate");
        } else {
          const directSaturation =
            outcome.workloads.saturation?.byArm.A1?.requestsPerSecond.median ??
            (await measureSaturation(direct, settings, log));
          log(`(c) latency at half of A1's saturation (${Math.round(directSaturation / 2)} req/s)`);
          outcome.workloads.halfLoad = await halfLoad(
            measured.filter((a) => a.name !== "A0" && HTTP_ARMS.has(a.name)),
            { ...settings.halfLoad, directSaturation, log },
          );
        }
      }
      if (wants("session-churn")) {
        log("(e) session churn: initialize, tools/list, tools/call, close");
        outcome.workloads.sessionChurn = await sessionChurn(measured, {
          ...settings.sessionChurn,
          log,
        });
      }
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => log(String(err)));
    }

    if (wants("large-result")) {
      // Its arms are A1's and A2's setups in front of an upstream of their own.
      if (!options.arms.includes("A2")) log("large results skipped: they need the gateway arm A2");
      else {
        log(`large results: ${settings.largeResult.bytes} bytes per tool call, direct vs gateway`);
        const { workDir } = options;
        outcome.workloads.largeResult = await runLargeResult({ settings, gateway, workDir, log });
        gatewayProfileDir ??= gateway.profileDir;
      }
    }

    Object.assign(
      outcome.workloads,
      await runSessionWorkloads({
        ...sessionOptions(options, gateway),
        idle: wants("idle-sessions"),
        invalid: wants("invalid-requests"),
        abandoned: wants("abandoned-sessions") && !background,
      }),
    );
    if (wants("deploy")) {
      // On the shared host, after the arms' measurements: deploys must not overlap them.
      log("deploy to first tools/list: the gateway vs starting the same server directly");
      outcome.workloads.deploy = await deploy({
        host: await gateway.get(),
        docker: gateway.docker,
        settings: settings.deploy,
        workDir: options.workDir,
        log,
      });
    }
    // Nothing else needs it now; stopping it again below is harmless.
    await gateway.stop();
    // After the arms are stopped: it loads the app's database code, which the client need not carry.
    if (wants("job-pickup")) {
      log("(d) job pickup latency when idle");
      const { jobPickup } = await import("./workloads/job-pickup.js");
      outcome.workloads.jobPickup = await jobPickup({
        ...settings.jobPickup,
        postgresUrl: options.postgresUrl,
        log,
      });
      if (!options.postgresUrl) log("  (set TEST_POSTGRES_URL to measure PostgreSQL as well)");
    }
    // MCP Hosts of its own, after the arms: listing a thousand servers keeps a core busy.
    if (wants("control-plane")) {
      log(`control plane: GET /api/servers of ${settings.controlPlane.servers} servers`);
      const { controlPlane } = await import("./workloads/control-plane.js");
      outcome.workloads.controlPlane = await controlPlane({
        settings: settings.controlPlane,
        workDir: options.workDir,
        postgresUrl: options.postgresUrl,
        profile: options.profile,
        log,
      });
    }
    // Last: in a smoke run it has been waiting for the reaper all along.
    if (abandonedLater) Object.assign(outcome.workloads, await abandonedLater);
    if (soakLater) outcome.workloads.soak = await soakLater;
    else if (wants("soak"))
      outcome.workloads.soak = await runSoak({ settings, workDir: options.workDir, log });
  } finally {
    await abandonedLater?.catch(() => {});
    await soakLater?.catch(() => {});
    // Stopping it writes the CPU profile, read below.
    await gateway.stop().catch((err) => log(String(err)));
  }

  if (gatewayProfileDir) {
    const { files, profiles } = await readProfiles(gatewayProfileDir);
    outcome.profile = summarizeProfiles(profiles, 25);
    outcome.profileFiles = files;
    log("CPU profile of the gateway process, self time:");
    log(formatProfile(outcome.profile));
  }
  return outcome;
}

const describe = (arm: Arm) => ({ name: arm.name, label: arm.label });

const sessionOptions = (options: SuiteOptions, gateway: GatewayHost) => ({
  settings: options.settings,
  gateway,
  workDir: options.workDir,
  log: options.log,
  idle: false,
  invalid: false,
  abandoned: false,
});

/**
 * Checks that the arm answers the real echo result, then puts a few seconds of load on it so the
 * JIT and the connection pools are warm before anything is measured.
 */
async function warmUp(arm: MeasuredArm, durationMs: number) {
  const session = await arm.client.openSession();
  const { response } = await session.echo(0);
  if (firstText(response) !== ECHO_TEXT)
    throw new Error(`${arm.name} answered echo with ${JSON.stringify(response)}`);
  const result = await closedLoop(session, { concurrency: 8, durationMs, warmupMs: 0 });
  await session.close();
  assertHealthy(arm.name, "warm-up", result);
}

/** A1's saturation when the saturation workload was not run: one search. */
async function measureSaturation(
  direct: MeasuredArm,
  settings: Settings,
  log: (s: string) => void,
) {
  const session = await direct.client.openSession();
  const found = await searchSaturation(async (concurrency) => {
    const result = await closedLoop(session, {
      concurrency,
      durationMs: settings.saturation.stepMs,
      warmupMs: settings.saturation.warmupMs,
    });
    assertHealthy("A1", "saturation", result);
    return result.requestsPerSecond;
  }, settings.saturation.search);
  await session.close();
  log(`  A1 saturates at ${Math.round(found.requestsPerSecond)} req/s`);
  return found.requestsPerSecond;
}
