import { reapPeriodMs } from "../../src/gateway/gateway-background.js";
import type { ProcEntry } from "../../src/runtimes/process/proc-stats.js";
import { closedLoop, LatencyClient } from "../latency-client.js";
import { ECHO_TEXT, firstText } from "../mcp-wire.js";
import { searchSaturation } from "../saturation-search.js";
import type { Settings } from "../settings.js";
import {
  describeProcesses,
  type Growth,
  growthAfterWarmup,
  type SoakSample,
} from "../soak-analysis.js";
import { assertHealthy } from "./measured-arm.js";
import { type SoakGateway, startSoakGateway } from "./soak-gateway.js";
import {
  assertSoakHealthy,
  type ChurnTally,
  churnLoop,
  type SteadyTally,
  steadyLatency,
  steadyLoad,
} from "./soak-load.js";

export type { ChurnTally };

export interface SoakResult {
  /** How long the load ran, in seconds (the `--soak-minutes` asked for, give or take a window). */
  loadSeconds: number;
  sampleSeconds: number;
  /** Readings before this were left out of the growth fits (the warm-up). */
  warmupSeconds: number;
  idleSeconds: number;
  reapSeconds: number;
  /** What the soak's gateway sustained (closed loop, one search) and the rate offered: half. */
  saturation: number;
  rate: number;
  /** The steady echo load. */
  calls: number;
  errors: number;
  firstError?: string | undefined;
  /** Calls the open loop did not send because every client slot was waiting (overload). */
  dropped: number;
  p50Us: number;
  p99Us: number;
  churn: { http: ChurnTally; stdio: ChurnTally };
  /**
   * RSS after the full GC of each reading (see `SoakSample.rssBytes`); `beforeGcGrowth` is the
   * slope of the readings before it, for comparison.
   */
  rss: {
    startBytes: number;
    endBytes: number;
    growth: Growth | undefined;
    beforeGcGrowth: Growth | undefined;
  };
  /** Heap after a full GC; undefined when the gc hook never answered. */
  heap: { startBytes: number; endBytes: number; growth: Growth | undefined } | undefined;
  /** From the end of the load to the last reading (sessions and children settled, or timed out). */
  waitedSeconds: number;
  /** Sessions still listed after the wait; none is held on purpose by then. */
  leakedSessions: number;
  /** Processes below the gateway at rest before the load, and after the wait: count and names. */
  childrenAtRest: { count: number; names: string };
  childrenAfter: { count: number; names: string };
  /** Processes after the wait beyond those at rest. */
  leakedChildren: number;
  samples: SoakSample[];
}

/** How long the soak runs, how often it reads the gateway, and the churn it adds to the load. */
export interface SoakSettings {
  /** The load's duration (`--soak-minutes`). */
  minutes: number;
  /** One reading of the gateway every so many seconds. */
  sampleSeconds: number;
  /** The share of the load's duration whose readings the growth fits leave out. */
  warmupShare: number;
  /** MCPHOST_SESSION_IDLE_SECONDS of the soak's gateway (10 is its minimum). */
  idleSeconds: number;
  /** Sessions that come and go on the HTTP server and on the stdio server. */
  httpSessionsPerSecond: number;
  stdioSessionsPerSecond: number;
  /** One session in so many is left without DELETE. */
  abandonEvery: number;
  /** Run alongside the other workloads (smoke run only: its figures are not judged then). */
  background: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The soak on a gateway (and upstream) of its own, all stopped at the end whatever happens. */
export async function runSoak(options: {
  settings: Settings;
  workDir: string;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const { soak: settings, saturation } = options.settings;
  options.log(
    `(i) soak: ${duration(settings.minutes)} at half load with session churn, idle timeout ` +
      `${settings.idleSeconds} s`,
  );
  const gateway = await startSoakGateway({
    workDir: options.workDir,
    idleSeconds: settings.idleSeconds,
  });
  try {
    return await soak(gateway, { settings, saturation, log: options.log });
  } finally {
    await gateway.stop();
  }
}

/**
 * The soak: for `minutes`, an open-loop echo load at half of what this gateway sustains, with
 * sessions coming and going on both servers (some left without DELETE), while the gateway's RSS,
 * heap after GC, open sessions and child processes are read every `sampleSeconds`. Then the load
 * stops and the soak waits for the idle reaper: what is still there after the idle timeout plus a
 * reaper period (and a margin) has leaked.
 */
export async function soak(
  gateway: SoakGateway,
  options: {
    settings: SoakSettings;
    saturation: Settings["saturation"];
    log: (line: string) => void;
  },
): Promise<SoakResult> {
  const { settings, log } = options;
  const load = new LatencyClient(gateway.http.endpoint);
  const httpChurn = new LatencyClient(gateway.http.endpoint);
  const stdioChurn = new LatencyClient(gateway.stdio.endpoint);
  try {
    const saturation = await measureSaturation(load, options.saturation);
    const rate = Math.max(1, Math.round(saturation / 2));
    const atRest = await settledDescendants(gateway);
    log(
      `  the gateway sustains ${Math.round(saturation)} req/s: offering ${rate} req/s for ` +
        `${duration(settings.minutes)}; at rest it has ${atRest.length} processes below it ` +
        `(${describeProcesses(atRest.map((p) => p.comm))})`,
    );

    const sampleMs = settings.sampleSeconds * 1000;
    const startedAt = Date.now();
    const endAt = startedAt + settings.minutes * 60_000;
    const loadSession = await load.openSession();
    const steady = steadyLoad(loadSession, rate, endAt, sampleMs);
    const churn = {
      http: churnLoop(httpChurn, settings.httpSessionsPerSecond, settings.abandonEvery, endAt),
      stdio: churnLoop(stdioChurn, settings.stdioSessionsPerSecond, settings.abandonEvery, endAt),
    };
    const reader = sampleReader(
      gateway,
      startedAt,
      steady.tally,
      [churn.http.tally, churn.stdio.tally],
      log,
    );
    const samples: SoakSample[] = [];
    for (let k = 0; startedAt + k * sampleMs < endAt; k++) {
      await sleep(startedAt + k * sampleMs - Date.now());
      samples.push(await reader.read());
      log(`  ${describeSample(samples.at(-1) as SoakSample)}`);
    }
    await Promise.all([steady.done, churn.http.done, churn.stdio.done]);
    const loadSeconds = (Date.now() - startedAt) / 1000;
    // The load's own session is the only one held on purpose: it ends here, like any other.
    await loadSession.close();
    log(`  load stopped: ${describeSample(await reader.read())}`);

    const reapSeconds = reapPeriodMs(settings.idleSeconds * 1000) / 1000;
    const left = await waitForReaper(gateway, atRest.length, settings.idleSeconds + reapSeconds);
    log(
      `  after ${left.waitedSeconds} s: ${left.sessions} sessions listed, ${left.processes.length} ` +
        `processes below the gateway (${describeProcesses(left.processes.map((p) => p.comm))}; ` +
        `${atRest.length} at rest)`,
    );
    assertSoakHealthy(steady.tally, churn.http.tally, churn.stdio.tally);

    const warmupSeconds = Math.round(loadSeconds * settings.warmupShare);
    const fit = (pick: (s: SoakSample) => number | undefined) =>
      growthAfterWarmup(samples, pick, warmupSeconds, loadSeconds);
    const heaps = samples.flatMap((s) => (s.heapUsedBytes === undefined ? [] : [s.heapUsedBytes]));
    const names = (list: ProcEntry[]) => describeProcesses(list.map((p) => p.comm));
    return {
      loadSeconds: Math.round(loadSeconds),
      sampleSeconds: settings.sampleSeconds,
      warmupSeconds,
      idleSeconds: settings.idleSeconds,
      reapSeconds,
      saturation: Math.round(saturation),
      rate,
      calls: steady.tally.calls,
      errors: steady.tally.errors,
      firstError: steady.tally.firstError,
      dropped: steady.tally.dropped,
      ...steadyLatency(steady.tally),
      churn: { http: churn.http.tally, stdio: churn.stdio.tally },
      rss: {
        startBytes: (samples[0] as SoakSample).rssBytes,
        endBytes: (samples.at(-1) as SoakSample).rssBytes,
        growth: fit((s) => s.rssBytes),
        beforeGcGrowth: fit((s) => s.rssBeforeGcBytes),
      },
      heap:
        heaps.length > 0
          ? {
              startBytes: heaps[0] as number,
              endBytes: heaps.at(-1) as number,
              growth: fit((s) => s.heapUsedBytes),
            }
          : undefined,
      waitedSeconds: left.waitedSeconds,
      leakedSessions: left.sessions,
      childrenAtRest: { count: atRest.length, names: names(atRest) },
      childrenAfter: { count: left.processes.length, names: names(left.processes) },
      leakedChildren: Math.max(0, left.processes.length - atRest.length),
      samples,
    };
  } finally {
    await Promise.all([load.close(), httpChurn.close(), stdioChurn.close()]);
  }
}

/** Reads the gateway: RSS first (a GC would shrink it), then the heap after a full GC. */
function sampleReader(
  gateway: SoakGateway,
  startedAt: number,
  steady: SteadyTally,
  churns: ChurnTally[],
  log: (line: string) => void,
) {
  let heapAvailable = true;
  return {
    async read(): Promise<SoakSample> {
      const rssBeforeGcBytes = await gateway.rss();
      const heapUsedBytes = heapAvailable
        ? await gateway.heapAfterGc().catch((err: Error) => {
            heapAvailable = false;
            log(`  no heap readings from now on: ${err.message}`);
            return undefined;
          })
        : undefined;
      return {
        t: Math.round((Date.now() - startedAt) / 100) / 10,
        rssBytes: heapUsedBytes === undefined ? rssBeforeGcBytes : await gateway.rss(),
        rssBeforeGcBytes,
        heapUsedBytes,
        sessions: await gateway.openSessions(),
        children: (await gateway.descendants()).length,
        calls: steady.calls,
        errors: steady.errors + churns.reduce((sum, c) => sum + c.errors, 0),
      };
    },
  };
}

/** One saturation search on the soak's own gateway (its HTTP server), as workload (b) does. */
async function measureSaturation(client: LatencyClient, saturation: Settings["saturation"]) {
  const session = await client.openSession();
  const { response } = await session.echo(0);
  if (firstText(response) !== ECHO_TEXT)
    throw new Error(`the soak's gateway answered echo with ${JSON.stringify(response)}`);
  const found = await searchSaturation(async (concurrency) => {
    const result = await closedLoop(session, {
      concurrency,
      durationMs: saturation.stepMs,
      warmupMs: saturation.warmupMs,
    });
    assertHealthy("soak", `saturation at concurrency ${concurrency}`, result);
    return result.requestsPerSecond;
  }, saturation.search);
  await session.close();
  return found.requestsPerSecond;
}

/**
 * The processes below the gateway once their number has held for three seconds: the stdio
 * server's main instance and its warm spare (started when the server turned running), each a
 * bubblewrap sandbox around node when bubblewrap is installed.
 */
async function settledDescendants(gateway: SoakGateway): Promise<ProcEntry[]> {
  const deadline = Date.now() + 30_000;
  let current = await gateway.descendants();
  let since = Date.now();
  while (Date.now() - since < 3000 && Date.now() < deadline) {
    await sleep(500);
    const next = await gateway.descendants();
    if (next.length !== current.length) since = Date.now();
    current = next;
  }
  return current;
}

/**
 * Waits until no session is listed and the processes below the gateway are back to their number
 * at rest, or until `reclaimSeconds` (the idle timeout plus a reaper period: an abandoned session
 * goes at the first reaper pass after its timeout) and a margin for its instance's process to
 * stop have passed: what is left then has leaked. The margin is the abandoned-sessions workload's.
 */
async function waitForReaper(gateway: SoakGateway, atRest: number, reclaimSeconds: number) {
  const stoppedAt = Date.now();
  const deadline = stoppedAt + (reclaimSeconds + 15) * 1000;
  let sessions = await gateway.openSessions();
  let processes = await gateway.descendants();
  while ((sessions > 0 || processes.length > atRest) && Date.now() < deadline) {
    await sleep(1000);
    sessions = await gateway.openSessions();
    processes = await gateway.descendants();
  }
  return { sessions, processes, waitedSeconds: Math.round((Date.now() - stoppedAt) / 100) / 10 };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const duration = (minutes: number) =>
  minutes < 1 ? `${Math.round(minutes * 60)} s` : `${minutes} min`;

function describeSample(s: SoakSample): string {
  const heap =
    s.heapUsedBytes === undefined
      ? ""
      : ` (${mib(s.rssBeforeGcBytes)} before GC), heap ${mib(s.heapUsedBytes)}`;
  return (
    `${s.t} s: RSS ${mib(s.rssBytes)}${heap}, ${s.sessions} sessions, ${s.children} processes ` +
    `below, ${s.calls} calls, ${s.errors} errors`
  );
}
