import { eq, sql } from "drizzle-orm";
import type { RateLimiter, SettingsRepository } from "../../domain/accounts/ports.js";
import type { Db } from "../database.js";
import { rateLimitCounters, settings } from "../schema/index.js";

export function createSettingsRepository(db: Db): SettingsRepository {
  return {
    async get<T>(key: string) {
      const [row] = await db.select().from(settings).where(eq(settings.key, key));
      return row?.value as T | undefined;
    },
    async setIfAbsent(key, value) {
      await db
        .insert(settings)
        .values({ key, value })
        .onConflictDoNothing({ target: settings.key });
    },
    async set(key, value) {
      await db
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    },
  };
}

/** Fixed-window counters in one upsert, so concurrent hits from any replica count exactly. */
export function createRateLimiter(db: Db): RateLimiter {
  const window = (windowStart: Date, windowSeconds: number) =>
    new Date(windowStart.getTime() + windowSeconds * 1000);

  return {
    async hit(key, windowSeconds, now) {
      const cutoff = new Date(now.getTime() - windowSeconds * 1000).toISOString();
      const expired = sql`${rateLimitCounters.windowStart} <= ${cutoff}::timestamptz`;
      const [row] = await db
        .insert(rateLimitCounters)
        .values({ key, windowStart: now, count: 1 })
        .onConflictDoUpdate({
          target: rateLimitCounters.key,
          set: {
            windowStart: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${rateLimitCounters.windowStart} end`,
            count: sql`case when ${expired} then 1 else ${rateLimitCounters.count} + 1 end`,
          },
        })
        .returning();
      const current = row ?? { windowStart: now, count: 1 };
      return { count: current.count, resetAt: window(current.windowStart, windowSeconds) };
    },
    async peek(key, windowSeconds, now) {
      const [row] = await db.select().from(rateLimitCounters).where(eq(rateLimitCounters.key, key));
      if (!row || window(row.windowStart, windowSeconds) <= now) return { count: 0, resetAt: now };
      return { count: row.count, resetAt: window(row.windowStart, windowSeconds) };
    },
    async reset(key) {
      await db.delete(rateLimitCounters).where(eq(rateLimitCounters.key, key));
    },
  };
}
