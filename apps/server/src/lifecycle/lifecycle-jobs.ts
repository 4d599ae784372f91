import type { ServerActivity } from "../domain/servers/server-activity.js";
import type { LifecycleQueue } from "../domain/servers/server-service.js";
import type { JobQueue } from "../jobs/job-queue.js";
import type { JobHandler } from "../jobs/worker.js";
import type { Logger } from "../lib/logger.js";
import { RuntimeError } from "../runtimes/runtime.js";
import type { ServerLifecycle } from "./server-lifecycle.js";

export const CONVERGE_JOB = "server.converge";

/** Lifecycle requests become durable `server.converge` jobs, one at a time per server. */
export function createLifecycleQueue(queue: JobQueue): LifecycleQueue {
  return {
    converge: (serverId, reason, runAt) =>
      queue.enqueue(CONVERGE_JOB, serverId, { serverId, reason }, runAt ? { runAt } : {}),
  };
}

/**
 * The job handler. A failure that
 * retrying may fix (the engine is down) is retried with backoff; any other failure, or the last
 * retry, puts the server in `error` with the reason, where it stays until the user acts.
 */
export function convergeJobHandler(
  lifecycle: ServerLifecycle,
  activity: ServerActivity,
  logger: Logger,
): JobHandler {
  return async (job) => {
    const serverId = job.payload.serverId as string;
    try {
      await lifecycle.converge(serverId);
    } catch (err) {
      const transient = err instanceof RuntimeError && err.transient;
      if (transient && job.attempts < job.maxAttempts) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ err, serverId }, "server lifecycle step failed");
      lifecycle.logSystem(serverId, `failed: ${reason}`);
      await activity.setStatus(serverId, "error", reason.slice(0, 1000));
    }
  };
}
