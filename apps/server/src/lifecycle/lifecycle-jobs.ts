import type { LifecycleQueue } from "../domain/servers/server-service.js";
import type { JobQueue } from "../jobs/job-queue.js";
import type { JobHandler } from "../jobs/worker.js";
import type { ServerLifecycle } from "./server-lifecycle.js";

export const CONVERGE_JOB = "server.converge";

/** Lifecycle requests become durable `server.converge` jobs, one at a time per server. */
export function createLifecycleQueue(queue: JobQueue): LifecycleQueue {
  return {
    converge: (serverId, reason, runAt) =>
      queue.enqueue(CONVERGE_JOB, serverId, { serverId, reason }, runAt ? { runAt } : {}),
  };
}

/** The job handler; keeps the job's lease alive during long installs and pulls. */
export function convergeJobHandler(lifecycle: ServerLifecycle): JobHandler {
  return async (job, ctx) => {
    const heartbeat = setInterval(() => void ctx.extendLease().catch(() => {}), 60_000);
    try {
      await lifecycle.converge(job.payload.serverId as string);
    } finally {
      clearInterval(heartbeat);
    }
  };
}
