import { and, asc, desc, eq, gt, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type {
  Invocation,
  InvocationFilter,
  InvocationRepository,
} from "../../domain/traces/ports.js";
import type { Db } from "../database.js";
import { mcpInvocations } from "../schema/index.js";

type Row = typeof mcpInvocations.$inferSelect;

const toInvocation = (row: Row): Invocation => ({
  id: row.id,
  serverId: row.serverId,
  sessionId: row.sessionId,
  clientName: row.clientName,
  clientVersion: row.clientVersion,
  direction: row.direction,
  method: row.method,
  target: row.target,
  params: row.params ?? null,
  result: row.result ?? null,
  error: row.error ?? null,
  isError: row.isError,
  latencyMs: row.latencyMs,
  startedAt: row.startedAt,
});

function conditions(f: InvocationFilter): SQL[] {
  const t = mcpInvocations;
  const where = [eq(t.serverId, f.serverId)];
  if (f.method !== undefined) where.push(eq(t.method, f.method));
  if (f.target !== undefined) where.push(eq(t.target, f.target));
  if (f.errorsOnly) where.push(eq(t.isError, true));
  if (f.sessionId !== undefined) where.push(eq(t.sessionId, f.sessionId));
  if (f.beforeId !== undefined) where.push(lt(t.id, f.beforeId));
  if (f.afterId !== undefined) where.push(gt(t.id, f.afterId));
  if (f.since) where.push(gte(t.startedAt, f.since));
  if (f.until) where.push(lte(t.startedAt, f.until));
  return where;
}

export function createInvocationRepository(db: Db): InvocationRepository {
  return {
    async insertMany(invocations) {
      if (invocations.length === 0) return [];
      const rows = await db.insert(mcpInvocations).values(invocations).returning();
      // RETURNING keeps the VALUES order in practice; sorting by id makes it a guarantee.
      return rows.sort((a, b) => a.id - b.id).map(toInvocation);
    },
    async list(f) {
      const rows = await db
        .select()
        .from(mcpInvocations)
        .where(and(...conditions(f)))
        .orderBy(f.afterId !== undefined ? asc(mcpInvocations.id) : desc(mcpInvocations.id))
        .limit(f.limit);
      return rows.map(toInvocation);
    },
    async prune(serverId, keep) {
      const t = mcpInvocations;
      // Everything at or below the (keep+1)-th newest id goes.
      await db.execute(sql`
        delete from ${t}
        where ${t.serverId} = ${serverId}
          and ${t.id} <= (
            select ${t.id} from ${t}
            where ${t.serverId} = ${serverId}
            order by ${t.id} desc offset ${keep} limit 1
          )`);
    },
  };
}
