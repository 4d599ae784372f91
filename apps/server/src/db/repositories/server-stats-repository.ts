import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { ServerStatsRepository, ServerStatsSample } from "../../domain/servers/ports.js";
import type { Db } from "../database.js";
import { serverStatsSamples } from "../schema/index.js";
import { isForeignKeyViolation } from "./pg-errors.js";

export function createServerStatsRepository(db: Db): ServerStatsRepository {
  const t = serverStatsSamples;
  return {
    async insertMany(samples) {
      if (samples.length === 0) return;
      try {
        await db.insert(t).values(samples).onConflictDoNothing();
      } catch (err) {
        // A server deleted since it was sampled: keep the others' samples, skip its own.
        if (!isForeignKeyViolation(err)) throw err;
        for (const sample of samples) {
          await db
            .insert(t)
            .values(sample)
            .onConflictDoNothing()
            .catch((e: unknown) => {
              if (!isForeignKeyViolation(e)) throw e;
            });
        }
      }
    },
    async list(q) {
      const where = and(eq(t.serverId, q.serverId), gte(t.time, q.since), lt(t.time, q.until));
      let rows: Array<Omit<ServerStatsSample, "serverId">>;
      if (q.bucketSeconds === undefined) {
        rows = await db
          .select({ time: t.time, cpuPercent: t.cpuPercent, memoryBytes: t.memoryBytes })
          .from(t)
          .where(where)
          .orderBy(desc(t.time))
          .limit(q.limit);
      } else {
        if (!Number.isInteger(q.bucketSeconds) || q.bucketSeconds <= 0) {
          throw new Error(`bucketSeconds must be a positive integer, got ${q.bucketSeconds}`);
        }
        // Inlined, not a parameter: the select list and GROUP BY must hold the very same expression.
        const bucket = sql`floor(extract(epoch from ${t.time}) / ${sql.raw(String(q.bucketSeconds))})::bigint`;
        const grouped = await db
          .select({
            bucket: sql<number>`${bucket}`.mapWith(Number),
            cpuPercent: sql<number>`avg(${t.cpuPercent})::float8`.mapWith(Number),
            memoryBytes: sql<number>`round(avg(${t.memoryBytes}))::float8`.mapWith(Number),
          })
          .from(t)
          .where(where)
          .groupBy(bucket)
          .orderBy(desc(bucket))
          .limit(q.limit);
        const size = q.bucketSeconds * 1000;
        rows = grouped.map((r) => ({
          time: new Date(r.bucket * size),
          cpuPercent: r.cpuPercent,
          memoryBytes: r.memoryBytes,
        }));
      }
      return rows.reverse().map((r) => ({ serverId: q.serverId, ...r }));
    },
    async deleteOlderThan(before) {
      const rows = await db.delete(t).where(lt(t.time, before)).returning({ time: t.time });
      return rows.length;
    },
  };
}
