import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/support/test-database.js";
import type { Database } from "../db/database.js";
import { jobs } from "../db/schema/index.js";
import { ManualClock } from "../lib/clock.js";
import { createLogger } from "../lib/logger.js";
import { createLocalJobNotifier } from "./job-notifier.js";
import { createJobQueue, type Job } from "./job-queue.js";
import { createWorker, type JobHandler, PermanentJobError, type Worker } from "./worker.js";

let database: Database;
let drop: () => Promise<void>;
const logger = createLogger({ level: "silent" });
let workers: Worker[] = [];

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await database.db.delete(jobs);
});
afterAll(() => drop?.());

function setup(handlers: Record<string, JobHandler>, clock = new ManualClock()) {
  const notifier = createLocalJobNotifier();
  const queue = createJobQueue({ db: database.db, clock, notifier });
  const worker = createWorker({
    queue,
    notifier,
    handlers,
    clock,
    logger,
    retryDelayMs: (n) => 1000 * n,
  });
  workers.push(worker);
  worker.start();
  return { queue, worker, clock };
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("durable job queue and worker", () => {
  it("runs an enqueued job straight away, without waiting for a poll", async () => {
    const ran: string[] = [];
    const { queue } = setup({ greet: async (job) => void ran.push(job.payload.name as string) });
    await queue.enqueue("greet", "k1", { name: "ada" });
    await until(() => ran.length === 1);
    expect(ran).toEqual(["ada"]);
  });

  it("merges repeated jobs for the same key while one is queued", async () => {
    const ran: Job[] = [];
    const clock = new ManualClock();
    const { queue } = setup({ converge: async (job) => void ran.push(job) }, clock);
    const later = new Date(clock.now().getTime() + 60_000);
    await queue.enqueue("converge", "srv_1", {}, { runAt: later });
    await queue.enqueue("converge", "srv_1", {}, { runAt: later });
    await queue.enqueue("converge", "srv_1", {}, { runAt: later });
    clock.advance(60_000);
    await until(() => ran.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toHaveLength(1);
  });

  it("never runs two jobs of one key at once, but runs different keys in parallel", async () => {
    let running = 0;
    let maxSameKey = 0;
    const started: string[] = [];
    const release: Array<() => void> = [];
    const handler: JobHandler = async (job) => {
      started.push(job.concurrencyKey);
      if (job.concurrencyKey === "a") {
        running++;
        maxSameKey = Math.max(maxSameKey, running);
      }
      await new Promise<void>((r) => release.push(r));
      if (job.concurrencyKey === "a") running--;
    };
    const { queue } = setup({ work: handler });
    await queue.enqueue("work", "a");
    await until(() => started.length === 1);
    await queue.enqueue("work", "a"); // queued behind the running one
    await queue.enqueue("work", "b");
    await until(() => started.length === 2);
    expect(started).toEqual(["a", "b"]);
    for (const r of release.splice(0)) r();
    await until(() => started.length === 3);
    expect(started[2]).toBe("a");
    for (const r of release.splice(0)) r();
    expect(maxSameKey).toBe(1);
  });

  it("retries a failing job with growing delays, then succeeds", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const { queue } = setup(
      {
        flaky: async () => {
          calls++;
          if (calls < 3) throw new Error(`transient ${calls}`);
        },
      },
      clock,
    );
    await queue.enqueue("flaky", "k");
    await until(() => calls === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1); // waits for its retry time
    clock.advance(1000);
    await until(() => calls === 2);
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(2); // the second retry waits 2 s
    clock.advance(1000);
    await until(() => calls === 3);
  });

  it("fails a job at once on a permanent error", async () => {
    let calls = 0;
    const { queue } = setup({
      doomed: async () => {
        calls++;
        throw new PermanentJobError("cannot ever work");
      },
    });
    await queue.enqueue("doomed", "k");
    await until(() => calls === 1);
    await until(() => false, 100).catch(() => {});
    expect(calls).toBe(1);
    expect(await queue.countByStatus("failed")).toBe(1);
  });

  it("keeps renewing the lease of a long job, so nobody else takes it over", async () => {
    const notifier = createLocalJobNotifier();
    const { systemClock } = await import("../lib/clock.js");
    const queue = createJobQueue({ db: database.db, clock: systemClock, notifier, leaseMs: 300 });
    let runs = 0;
    let release: () => void = () => {};
    const slow: JobHandler = async () => {
      runs++;
      await new Promise<void>((r) => {
        release = r;
      });
    };
    const mk = () =>
      createWorker({
        queue,
        notifier,
        clock: systemClock,
        logger,
        handlers: { slow },
        heartbeatMs: 100,
        idlePollMs: 50,
      });
    const a = mk();
    const b = mk();
    workers.push(a, b);
    a.start();
    await queue.enqueue("slow", "k");
    await until(() => runs === 1);
    b.start(); // a second replica, polling often
    await new Promise((r) => setTimeout(r, 1200)); // four leases long
    expect(runs).toBe(1);
    release();
  });

  it("takes over a job whose worker died (lease expired)", async () => {
    const clock = new ManualClock();
    const notifier = createLocalJobNotifier();
    const queue = createJobQueue({ db: database.db, clock, notifier, leaseMs: 10_000 });
    await queue.enqueue("resume", "srv_9");
    const claimed = await queue.claim("dead-worker");
    expect(claimed?.kind).toBe("resume");
    // The dead worker never finishes; a new worker takes over once the lease runs out.
    const ran: number[] = [];
    setup({ resume: async (job) => void ran.push(job.attempts) }, clock);
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toEqual([]);
    clock.advance(10_001);
    await until(() => ran.length === 1);
    expect(ran).toEqual([2]);
  });
});
