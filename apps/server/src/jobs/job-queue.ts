import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { jobs } from "../db/schema/index.js";
import type { Clock } from "../lib/clock.js";
import { newId } from "../lib/ids.js";
import type { JobNotifier } from "./job-notifier.js";

export interface Job {
  id: string;
  kind: string;
  concurrencyKey: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
}

/** Serialises claiming across replicas, so "no other job of this key is running" holds. */
const CLAIM_LOCK = 7_070_003;

/**
 * Durable jobs in PostgreSQL. Jobs with the same concurrency key never run at once, and at most one
 * waits queued per key: enqueueing again merges into it (keeping the earliest run time), which is
 * right for "bring this server to its desired state" work that reads current state when it runs.
 */
export function createJobQueue(deps: {
  db: Db;
  clock: Clock;
  notifier: JobNotifier;
  leaseMs?: number;
}) {
  const { db, clock } = deps;
  // Short, and renewed by the worker while a job runs: a crashed replica's job is taken over soon.
  const leaseMs = deps.leaseMs ?? 30_000;

  return {
    async enqueue(
      kind: string,
      concurrencyKey: string,
      payload: Record<string, unknown> = {},
      options: { runAt?: Date; maxAttempts?: number } = {},
    ): Promise<void> {
      const now = clock.now();
      const runAt = options.runAt ?? now;
      await db.execute(sql`
        insert into ${jobs} (id, kind, concurrency_key, payload, status, max_attempts, run_at, created_at, updated_at)
        values (${newId("job")}, ${kind}, ${concurrencyKey}, ${JSON.stringify(payload)}::jsonb, 'queued',
                ${options.maxAttempts ?? 5}, ${runAt.toISOString()}::timestamptz,
                ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        on conflict (concurrency_key) where status = 'queued'
        do update set run_at = least(${jobs.runAt}, excluded.run_at), updated_at = excluded.updated_at`);
      deps.notifier.notify();
    },

    /** Takes the next due job whose key has nothing running, or undefined. */
    async claim(workerId: string): Promise<Job | undefined> {
      const now = clock.now();
      const nowIso = now.toISOString();
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
        const result = await tx.execute(sql`
          update ${jobs} set status = 'running', locked_by = ${workerId},
            locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
            attempts = attempts + 1, updated_at = ${nowIso}::timestamptz
          where id = (
            select j.id from ${jobs} j
            where (
                (j.status = 'queued' and j.run_at <= ${nowIso}::timestamptz)
                -- a job whose worker died (lease expired) is taken over
                or (j.status = 'running' and j.locked_until < ${nowIso}::timestamptz)
              )
              and not exists (
                select 1 from ${jobs} r
                where r.concurrency_key = j.concurrency_key and r.id <> j.id
                  and r.status = 'running' and r.locked_until >= ${nowIso}::timestamptz
              )
            order by j.run_at, j.created_at
            limit 1
          )
          returning id, kind, concurrency_key, payload, attempts, max_attempts, run_at`);
        const row = (result as unknown as { rows: Array<Record<string, unknown>> }).rows[0];
        if (!row) return undefined;
        return {
          id: row.id as string,
          kind: row.kind as string,
          concurrencyKey: row.concurrency_key as string,
          payload: (typeof row.payload === "string"
            ? JSON.parse(row.payload)
            : row.payload) as Record<string, unknown>,
          attempts: Number(row.attempts),
          maxAttempts: Number(row.max_attempts),
          runAt: new Date(row.run_at as string),
        };
      });
    },

    /**
     * Puts every running job back in the queue. Only for a database no other process can use
     * (embedded PGlite): there, a running job at startup belongs to a control plane that died.
     */
    async requeueAllRunning(): Promise<number> {
      const rows = await db
        .update(jobs)
        .set({ status: "queued", lockedBy: null, lockedUntil: null, updatedAt: clock.now() })
        .where(eq(jobs.status, "running"))
        .returning({ id: jobs.id });
      return rows.length;
    },

    /** Keeps a running job's lease (an npm install can take minutes). */
    async extendLease(jobId: string): Promise<void> {
      await db
        .update(jobs)
        .set({ lockedUntil: new Date(clock.now().getTime() + leaseMs) })
        .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")));
    },

    async complete(jobId: string): Promise<void> {
      await db
        .update(jobs)
        .set({ status: "succeeded", lockedBy: null, lockedUntil: null, updatedAt: clock.now() })
        .where(eq(jobs.id, jobId));
      deps.notifier.notify(); // a job of the same key may be waiting for this one
    },

    /**
     * Records a failure: the job runs again at `retryAt`, or fails for good after its last attempt.
     * A retry that meets a newer queued job of the same key merges into that one.
     */
    async fail(job: Job, error: string, retryAt: Date | undefined): Promise<void> {
      await db.transaction(async (tx) => {
        if (!retryAt || job.attempts >= job.maxAttempts) {
          await tx
            .update(jobs)
            .set({
              status: "failed",
              lastError: error,
              lockedBy: null,
              lockedUntil: null,
              updatedAt: clock.now(),
            })
            .where(eq(jobs.id, job.id));
          return;
        }
        const [queued] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.concurrencyKey, job.concurrencyKey), eq(jobs.status, "queued")));
        if (queued) {
          await tx.delete(jobs).where(eq(jobs.id, job.id));
          await tx
            .update(jobs)
            .set({ runAt: sql`least(${jobs.runAt}, ${retryAt.toISOString()}::timestamptz)` })
            .where(eq(jobs.id, queued.id));
        } else {
          await tx
            .update(jobs)
            .set({
              status: "queued",
              runAt: retryAt,
              lastError: error,
              lockedBy: null,
              lockedUntil: null,
              updatedAt: clock.now(),
            })
            .where(eq(jobs.id, job.id));
        }
      });
      deps.notifier.notify();
    },

    /**
     * When the next runnable job becomes due, so an idle worker can sleep exactly until then. Jobs
     * waiting behind a running job of their key are left out: that job's completion wakes us.
     */
    async nextRunAt(): Promise<Date | undefined> {
      const result = await db.execute(sql`
        select min(j.run_at) as at from ${jobs} j
        where j.status = 'queued'
          and not exists (
            select 1 from ${jobs} r where r.concurrency_key = j.concurrency_key and r.status = 'running'
          )`);
      const at = (result as unknown as { rows: Array<{ at: string | Date | null }> }).rows[0]?.at;
      return at ? new Date(at) : undefined;
    },

    /** Deletes finished jobs older than `before`, keeping the table small. */
    async purgeFinished(before: Date): Promise<void> {
      await db.execute(
        sql`delete from ${jobs} where status in ('succeeded', 'failed') and updated_at < ${before.toISOString()}::timestamptz`,
      );
    },

    async countByStatus(status: "queued" | "running" | "failed"): Promise<number> {
      const rows = await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.status, status), lte(jobs.createdAt, clock.now())));
      return rows.length;
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
