import { sql } from "drizzle-orm";
import type { Logger } from "../lib/logger.js";
import type { Db } from "./database.js";

/** How often the embedded database is vacuumed. */
export const PGLITE_VACUUM_EVERY_MS = 60_000;

/**
 * PostgreSQL reclaims the space of deleted rows in autovacuum, which PGlite (one process, no
 * background workers) never runs. MCP Host deletes rows all the time: traces pruned to their
 * retention, logs, stats samples and events past theirs, finished jobs. Without a vacuum those
 * tables only grew, and every insert and prune slowed with them: in a 30-minute soak the gateway
 * fell behind its load after ten minutes (docs/benchmarks.md). A plain VACUUM (not FULL) makes the
 * space reusable without locking readers out; run often, each pass has little to do.
 */
export function createPgliteVacuum(deps: { db: Db; logger: Logger; everyMs?: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function vacuumOnce(): Promise<void> {
    const started = performance.now();
    await deps.db.execute(sql`vacuum`);
    deps.logger.debug(
      { durationMs: Math.round(performance.now() - started) },
      "vacuumed the embedded database",
    );
  }

  return {
    vacuumOnce,
    start() {
      timer = setInterval(() => {
        // One pass at a time: a slow one is not stacked on.
        running ??= vacuumOnce()
          .catch((err) => deps.logger.warn({ err }, "could not vacuum the embedded database"))
          .finally(() => {
            running = undefined;
          });
      }, deps.everyMs ?? PGLITE_VACUUM_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
