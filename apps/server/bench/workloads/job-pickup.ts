import { performance } from "node:perf_hooks";
import { openDatabase } from "../../src/db/database.js";
import {
  createLocalJobNotifier,
  createPostgresJobNotifier,
  type JobNotifier,
} from "../../src/jobs/job-notifier.js";
import { createJobQueue } from "../../src/jobs/job-queue.js";
import { createWorker } from "../../src/jobs/worker.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { createPostgresDatabase } from "../../test/support/test-database.js";
import { addTo, type Figure, figureOf } from "../round-stats.js";

/**
 * Job pickup latency when the worker is idle: time from calling `enqueue` to the handler
 * starting, one job at a time. On PGlite the wake-up is in-process; on PostgreSQL the enqueuer
 * and the worker use separate notifier connections, as two replicas would (LISTEN/NOTIFY).
 */
export async function benchJobPickup(options: {
  samples: number;
  postgresUrl?: string | undefined;
}) {
  const results: Array<{ name: string; p50: number; p95: number; max: number }> = [];
  results.push(await measure("PGlite, same process", options.samples, undefined));
  if (options.postgresUrl) {
    results.push(
      await measure(
        "PostgreSQL, NOTIFY to another connection",
        options.samples,
        options.postgresUrl,
      ),
    );
  }
  return results;
}

async function measure(name: string, samples: number, adminUrl: string | undefined) {
  const logger = createLogger({ level: "silent" });
  const pg = adminUrl ? await createPostgresDatabase(adminUrl) : undefined;
  const database = await openDatabase(
    pg ? { kind: "postgres", url: pg.url } : { kind: "pglite", dataDir: undefined },
  );
  let enqueueSide: JobNotifier;
  let workerSide: JobNotifier;
  if (pg) {
    enqueueSide = await createPostgresJobNotifier(pg.url, () => {});
    workerSide = await createPostgresJobNotifier(pg.url, () => {});
  } else {
    enqueueSide = workerSide = createLocalJobNotifier();
  }
  const producer = createJobQueue({ db: database.db, clock: systemClock, notifier: enqueueSide });
  const consumer = createJobQueue({ db: database.db, clock: systemClock, notifier: workerSide });
  let started: (() => void) | undefined;
  const worker = createWorker({
    queue: consumer,
    notifier: pg ? workerSide : enqueueSide,
    clock: systemClock,
    logger,
    handlers: { bench: async () => started?.() },
    // A long safety poll: any pickup faster than this came from the wake-up, not polling.
    idlePollMs: 60_000,
  });
  worker.start();
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    await new Promise((r) => setTimeout(r, 20)); // let the worker go idle
    const begun = new Promise<number>((resolve) => {
      started = () => resolve(performance.now());
    });
    // Measured from before the insert: includes writing the job, so it is an upper bound.
    const t0 = performance.now();
    await producer.enqueue("bench", `key-${i}`);
    latencies.push((await begun) - t0);
  }
  await worker.stop();
  if (pg) {
    await enqueueSide.close();
    await workerSide.close();
  }
  await database.close();
  await pg?.drop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { name, p50: at(0.5), p95: at(0.95), max: latencies.at(-1) as number };
}

export interface JobPickupResult {
  samplesPerRound: number;
  /** By database: "PGlite, same process", and PostgreSQL when TEST_POSTGRES_URL is set. */
  byDatabase: Record<string, { p50Ms: Figure; p95Ms: Figure; maxMs: Figure }>;
}

/** Workload (d): `benchJobPickup` once per round, its percentiles summarised over the rounds. */
export async function jobPickup(options: {
  rounds: number;
  samples: number;
  postgresUrl?: string | undefined;
  log: (line: string) => void;
}): Promise<JobPickupResult> {
  const rounds: Record<string, Array<{ p50: number; p95: number; max: number }>> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const r of await benchJobPickup(options)) {
      addTo(rounds, r.name, r);
      options.log(
        `  round ${round} ${r.name}: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`,
      );
    }
  }
  const ms = (v: number) => Math.round(v * 100) / 100;
  const byDatabase = Object.fromEntries(
    Object.entries(rounds).map(([name, list]) => [
      name,
      {
        p50Ms: figureOf(list.map((r) => ms(r.p50))),
        p95Ms: figureOf(list.map((r) => ms(r.p95))),
        maxMs: figureOf(list.map((r) => ms(r.max))),
      },
    ]),
  );
  return { samplesPerRound: options.samples, byDatabase };
}
