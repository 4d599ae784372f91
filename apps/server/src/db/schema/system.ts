import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Instance-wide settings an admin can change at run time (key -> JSON value). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Fixed-window counters for rate limits. Kept in the database rather than in memory so that
 * several control-plane replicas share one budget.
 */
export const rateLimitCounters = pgTable("rate_limit_counters", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});
