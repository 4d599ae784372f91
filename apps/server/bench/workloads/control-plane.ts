import { type ProfileSummary, readProfiles, summarizeProfiles } from "../cpu-profile.js";
import { encodeHistogram, summarize } from "../histogram.js";
import { closedLoopGet, type GetLoopResult } from "../http-get-client.js";
import { processCpuMs } from "../process-cpu.js";
import { addTo, type Figure, figureOf } from "../round-stats.js";
import { type ControlPlaneHost, startControlPlaneHost } from "./control-plane-host.js";

/** How much the control-plane workload seeds and measures. */
export interface ControlPlaneSettings {
  rounds: number;
  /** Servers the user owns, all listed by each request. */
  servers: number;
  /** Closed-loop concurrencies, each measured for `durationMs` after `warmupMs`. */
  concurrencies: number[];
  durationMs: number;
  warmupMs: number;
}

/** One database at one concurrency, over the rounds. */
export interface ListingFigures {
  requestsPerSecond: Figure;
  p50Ms: Figure;
  p99Ms: Figure;
  /**
   * CPU time of the MCP Host process per listing (warm-up included), the figure least moved by
   * other load on the machine; on PostgreSQL the database server's own work is not in it.
   * Undefined without `/proc`.
   */
  hostCpuMsPerListing: Figure | undefined;
  /** Every round's HDR histogram (nanoseconds), compressed. */
  histograms: string[];
}

export interface ControlPlaneResult {
  servers: number;
  /** The request measured; one answers every server (the route does not paginate). */
  request: string;
  /** Size of one answer (the whole list, as JSON). */
  responseBytes: number;
  /** By database ("PGlite", "PostgreSQL"), then by concurrency ("1", "8"). */
  byDatabase: Record<
    string,
    { seedSeconds: number; byConcurrency: Record<string, ListingFigures> }
  >;
  /** Databases not measured, with the reason (PostgreSQL without TEST_POSTGRES_URL, by hand). */
  skipped: Record<string, string>;
  /** With `--profile`: where each host process spent its CPU, start-up and seeding included. */
  profiles?: Record<string, ProfileSummary>;
}

/**
 * `GET /api/servers` lists every server in one answer: the route has no pagination, so one
 * request is what a client (the web app, the CLI) sends to show them all.
 */
const LIST_PATH = "/api/servers";

/**
 * The control-plane API under load (issue 6): one user owning `servers` servers lists them with
 * a personal access token, in closed loops at each concurrency, on an MCP Host with embedded
 * PGlite and on one with PostgreSQL. The hosts run side by side and are measured in turn, round
 * by round; each figure is the median of the rounds. Under CI=true PostgreSQL must be there.
 */
export async function controlPlane(options: {
  settings: ControlPlaneSettings;
  workDir: string;
  postgresUrl: string | undefined;
  profile: boolean;
  log: (line: string) => void;
}): Promise<ControlPlaneResult> {
  const { settings, log } = options;
  const skipped: Record<string, string> = {};
  if (!options.postgresUrl) {
    if (process.env.CI === "true")
      throw new Error("control-plane needs PostgreSQL under CI=true: set TEST_POSTGRES_URL");
    skipped.PostgreSQL = "TEST_POSTGRES_URL not set; `source .ci/postgres.sh` starts one";
  }
  // undefined: PGlite.
  const databases = [undefined, ...(options.postgresUrl ? [options.postgresUrl] : [])];
  log(`  seeding ${settings.servers} servers through the API on ${databases.length} host(s)`);
  const started = await Promise.allSettled(
    databases.map((postgresAdminUrl) =>
      startControlPlaneHost({
        workDir: options.workDir,
        postgresAdminUrl,
        servers: settings.servers,
        profile: options.profile,
      }),
    ),
  );
  const hosts = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  try {
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    let responseBytes = 0;
    for (const host of hosts) {
      responseBytes = await checkListing(host);
      log(
        `  ${host.database}: ${host.servers} servers seeded in ${host.seedSeconds.toFixed(1)} s; ` +
          `the list is ${(responseBytes / 1024).toFixed(0)} KB`,
      );
    }
    const rounds: Record<string, Measured[]> = {};
    for (let round = 1; round <= settings.rounds; round++) {
      for (const host of hosts) {
        for (const concurrency of settings.concurrencies) {
          const measured = await measure(host, concurrency, settings);
          addTo(rounds, `${host.database}\n${concurrency}`, measured);
          const s = summarize(measured.result.histogram);
          const cpu = measured.cpuMsPerListing;
          log(
            `  round ${round} ${host.database} concurrency ${concurrency}: ` +
              `${measured.result.requestsPerSecond.toFixed(1)} req/s, p50 ${(s.p50Us / 1000).toFixed(1)} ms, ` +
              `p99 ${(s.p99Us / 1000).toFixed(1)} ms` +
              (cpu === undefined ? "" : `, host CPU ${cpu.toFixed(1)} ms a listing`),
          );
        }
      }
    }
    const byDatabase: ControlPlaneResult["byDatabase"] = {};
    for (const host of hosts) {
      const byConcurrency: Record<string, ListingFigures> = {};
      for (const concurrency of settings.concurrencies)
        byConcurrency[concurrency] = figuresOf(rounds[`${host.database}\n${concurrency}`] ?? []);
      byDatabase[host.database] = {
        seedSeconds: Math.round(host.seedSeconds * 10) / 10,
        byConcurrency,
      };
    }
    await stopAll(hosts);
    const result: ControlPlaneResult = {
      servers: settings.servers,
      request: `GET ${LIST_PATH}`,
      responseBytes,
      byDatabase,
      skipped,
    };
    if (options.profile) result.profiles = await profilesOf(hosts, log);
    return result;
  } finally {
    await stopAll(hosts);
  }
}

interface Measured {
  result: GetLoopResult;
  cpuMsPerListing: number | undefined;
}

/** One closed loop on one host, with the host's CPU time over it. */
async function measure(
  host: ControlPlaneHost,
  concurrency: number,
  settings: ControlPlaneSettings,
): Promise<Measured> {
  let listings = 0;
  const pid = host.host.child.pid;
  const cpuBefore = processCpuMs(pid);
  const result = await closedLoopGet(
    () => {
      listings++;
      return host.client.get(LIST_PATH);
    },
    { concurrency, durationMs: settings.durationMs, warmupMs: settings.warmupMs },
  );
  const cpuAfter = processCpuMs(pid);
  assertHealthy(host.database, concurrency, result);
  const cpuMsPerListing =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : Math.round(((cpuAfter - cpuBefore) / listings) * 100) / 100;
  return { result, cpuMsPerListing };
}

/** Each host once: the list has every seeded server. Returns the answer's size. */
async function checkListing(host: ControlPlaneHost): Promise<number> {
  const body = (await host.client.getJson(LIST_PATH)) as { items?: unknown[] };
  if (body.items?.length !== host.servers)
    throw new Error(`${host.database}: listed ${body.items?.length} servers, not ${host.servers}`);
  return (await host.client.get(LIST_PATH)).bytes;
}

/** A listing that fails is a bug, not a slow machine: the run fails. */
function assertHealthy(database: string, concurrency: number, result: GetLoopResult) {
  if (result.requests === 0 || result.errors > 0)
    throw new Error(
      `control plane on ${database} at concurrency ${concurrency}: ${result.requests} answers, ` +
        `${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ""}`,
    );
}

function figuresOf(rounds: Measured[]): ListingFigures {
  const ms = (us: number) => Math.round(us / 10) / 100;
  const results = rounds.map((r) => r.result);
  const summaries = results.map((r) => summarize(r.histogram));
  const cpu = rounds.flatMap((r) => (r.cpuMsPerListing === undefined ? [] : [r.cpuMsPerListing]));
  return {
    requestsPerSecond: figureOf(results.map((r) => Math.round(r.requestsPerSecond * 10) / 10)),
    p50Ms: figureOf(summaries.map((s) => ms(s.p50Us))),
    p99Ms: figureOf(summaries.map((s) => ms(s.p99Us))),
    hostCpuMsPerListing: cpu.length === rounds.length ? figureOf(cpu) : undefined,
    histograms: results.map((r) => encodeHistogram(r.histogram)),
  };
}

async function stopAll(hosts: ControlPlaneHost[]) {
  await Promise.all(hosts.map((h) => h.stop().catch(() => {})));
}

async function profilesOf(hosts: ControlPlaneHost[], log: (line: string) => void) {
  const profiles: Record<string, ProfileSummary> = {};
  for (const host of hosts) {
    if (!host.profileDir) continue;
    const summary = summarizeProfiles((await readProfiles(host.profileDir)).profiles, 25);
    profiles[host.database] = summary;
    log(`  CPU of the ${host.database} host (start-up and seeding included), self time:`);
    for (const e of summary.byArea.slice(0, 8))
      log(`    ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name}`);
  }
  return profiles;
}
