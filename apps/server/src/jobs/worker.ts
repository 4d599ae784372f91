import type { Clock } from "../lib/clock.js";
import { newId } from "../lib/ids.js";
import type { Logger } from "../lib/logger.js";
import type { JobNotifier } from "./job-notifier.js";
import type { Job, JobQueue } from "./job-queue.js";

/** A job's work. The worker keeps the job's lease alive while it runs, however long that is. */
export type JobHandler = (job: Job) => Promise<void>;

/** A failure that retrying will not fix: the job fails at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export interface WorkerOptions {
  queue: JobQueue;
  notifier: JobNotifier;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  logger: Logger;
  /** Jobs run at once (of different concurrency keys). */
  concurrency?: number;
  /** Longest sleep without a signal: covers jobs made due by other replicas' clocks. */
  idlePollMs?: number;
  /** Delay before the n-th retry (1-based). */
  retryDelayMs?: (attempt: number) => number;
  /** Told how long each job waited between becoming due and being picked up. */
  onPickup?: (job: Job, waitedMs: number) => void;
  /** How often running jobs' leases are renewed; a third of the queue's lease is right. */
  heartbeatMs?: number;
}

const defaultRetryDelay = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 60_000);

/**
 * Runs jobs as soon as they are due: an idle worker sleeps until a notifier signal, the next
 * job's run time, or a long safety poll, whichever comes first. No polling interval in the hot path.
 */
export function createWorker(options: WorkerOptions) {
  const { queue, clock, logger } = options;
  const workerId = newId("job").replace("job_", "wkr_");
  const concurrency = options.concurrency ?? 4;
  const idlePollMs = options.idlePollMs ?? 30_000;
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const active = new Set<Promise<void>>();
  /** Ids of the jobs running here, for lease renewal. */
  const runningIds = new Set<string>();
  let stopped = true;
  let wake: (() => void) | undefined;
  let signalled = false;
  let loopDone: Promise<void> = Promise.resolve();

  const signal = () => {
    signalled = true;
    wake?.();
  };

  async function run(job: Job) {
    const handler = options.handlers[job.kind];
    const log = logger.child({
      jobId: job.id,
      kind: job.kind,
      key: job.concurrencyKey,
      attempt: job.attempts,
    });
    options.onPickup?.(job, Math.max(0, clock.now().getTime() - job.runAt.getTime()));
    runningIds.add(job.id);
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
      await handler(job);
      runningIds.delete(job.id);
      await queue.complete(job.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentJobError;
      const retryAt = permanent
        ? undefined
        : new Date(clock.now().getTime() + retryDelay(job.attempts));
      log.warn(
        { err, retryAt },
        permanent || job.attempts >= job.maxAttempts ? "job failed" : "job failed; will retry",
      );
      await queue
        .fail(job, message, retryAt)
        .catch((e) => log.error({ err: e }, "could not record job failure"));
    }
  }

  async function sleep() {
    const next = await queue.nextRunAt().catch(() => undefined);
    const untilNext = next ? next.getTime() - clock.now().getTime() : idlePollMs;
    const ms = Math.max(0, Math.min(untilNext, idlePollMs));
    if (signalled || stopped || ms === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }

  async function loop() {
    while (!stopped) {
      signalled = false;
      while (!stopped && active.size < concurrency) {
        let job: Job | undefined;
        try {
          job = await queue.claim(workerId);
        } catch (err) {
          logger.error({ err }, "could not claim a job");
          break;
        }
        if (!job) break;
        const running = run(job).finally(() => {
          active.delete(running);
          signal();
        });
        active.add(running);
      }
      // Yield to timers and I/O even when there is more to do: PGlite answers without ever
      // leaving the microtask queue, and a loop of such awaits would starve the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      if (!stopped) await sleep();
    }
  }

  let unsubscribe: Array<() => void> = [];
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    workerId,
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = [
        options.notifier.subscribe(signal),
        ...(clock.onJump ? [clock.onJump(signal)] : []),
      ];
      heartbeat = setInterval(() => {
        for (const id of runningIds) void queue.extendLease(id).catch(() => {});
      }, options.heartbeatMs ?? 10_000);
      heartbeat.unref();
      loopDone = loop();
    },
    /** Stops claiming and waits for running jobs to finish. */
    async stop() {
      stopped = true;
      for (const u of unsubscribe) u();
      signal();
      await loopDone;
      await Promise.allSettled([...active]);
      if (heartbeat) clearInterval(heartbeat);
    },
    /** Resolves when no job is running (for tests and shutdown). */
    async idle() {
      while (active.size > 0) await Promise.allSettled([...active]);
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
