import type { PGlite } from "@electric-sql/pglite";
import { and, asc, desc, eq, gt, gte, isNotNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type {
  Invocation,
  InvocationFilter,
  InvocationRepository,
  InvocationStats,
  InvocationSummaryQuery,
  InvocationSummaryRows,
  NewInvocation,
} from "../../domain/traces/ports.js";
import type { Db } from "../database.js";
import { mcpInvocations } from "../schema/index.js";
import { type CopyColumnType, copyRowsWithIds } from "./pglite-copy.js";

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

/**
 * The columns a batch writes and their types, in one place for both ways of writing it: on
 * PostgreSQL one JSON parameter unpacked by `json_to_recordset` (a VALUES list of 13 parameters
 * per row was a fifth of the gateway's CPU under load, docs/benchmarks.md); on PGlite, COPY.
 */
const RECORD_COLUMNS = {
  server_id: "text",
  session_id: "text",
  client_name: "text",
  client_version: "text",
  direction: "text",
  method: "text",
  target: "text",
  params: "jsonb",
  result: "jsonb",
  error: "jsonb",
  is_error: "boolean",
  latency_ms: "real",
  started_at: "timestamptz",
} as const satisfies Record<string, CopyColumnType>;
const INSERT_COLUMNS = Object.keys(RECORD_COLUMNS).join(", ");
const RECORD_TYPES = Object.entries(RECORD_COLUMNS)
  .map(([column, type]) => `${column} ${type}`)
  .join(", ");

const toRecord = (inv: NewInvocation): Record<keyof typeof RECORD_COLUMNS, unknown> => ({
  server_id: inv.serverId,
  session_id: inv.sessionId,
  client_name: inv.clientName,
  client_version: inv.clientVersion,
  direction: inv.direction,
  method: inv.method,
  target: inv.target,
  params: inv.params ?? null,
  result: inv.result ?? null,
  error: inv.error ?? null,
  is_error: inv.isError,
  latency_ms: inv.latencyMs,
  started_at: inv.startedAt.toISOString(),
});

export interface InvocationRepositoryOptions {
  /** Insert by COPY on embedded PGlite (see pglite-copy.ts); on PostgreSQL, not needed. */
  copyInserts?: boolean;
}

export function createInvocationRepository(
  db: Db,
  options: InvocationRepositoryOptions = {},
): InvocationRepository {
  /** The PGlite client under drizzle, when inserts go by COPY. */
  const pglite = options.copyInserts ? (db as unknown as { $client?: PGlite }).$client : undefined;

  async function insertIds(invocations: NewInvocation[]): Promise<number[]> {
    if (pglite)
      return copyRowsWithIds(pglite, "mcp_invocations", RECORD_COLUMNS, invocations.map(toRecord));
    // The new ids come back as one array value, not a row each (a row each was a tenth of the
    // insert's cost when measured on PGlite).
    const result = await db.execute(sql`
        with stored as (
          insert into ${mcpInvocations} (${sql.raw(INSERT_COLUMNS)})
          select ${sql.raw(INSERT_COLUMNS)}
          from json_to_recordset(${JSON.stringify(invocations.map(toRecord))}::json)
            as r(${sql.raw(RECORD_TYPES)})
          returning id
        )
        select array_agg(id order by id)::text as ids from stored`);
    const [row] = (result as unknown as { rows: Array<{ ids: string }> }).rows;
    const ids = (row?.ids ?? "{}").slice(1, -1).split(",").map(Number);
    if (ids.length !== invocations.length)
      throw new Error(`stored ${ids.length} of ${invocations.length} invocations`);
    // One statement reading the array in order: its rows get ascending ids in that order.
    return ids;
  }

  return {
    async insertMany(invocations) {
      if (invocations.length === 0) return [];
      const ids = await insertIds(invocations);
      return invocations.map((inv, i) => ({
        ...inv,
        id: ids[i] as number,
        params: inv.params ?? null,
        result: inv.result ?? null,
        error: inv.error ?? null,
      }));
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
    summarize: (query) => summarize(db, query),
  };
}

/**
 * One pass over the range: a row per non-empty bucket plus, through the empty grouping set, one
 * for the totals (the row whose bucket is null). Works alike on PostgreSQL and PGlite.
 */
async function summarize(db: Db, q: InvocationSummaryQuery): Promise<InvocationSummaryRows> {
  if (!Number.isInteger(q.bucketSeconds) || q.bucketSeconds <= 0) {
    throw new Error(`bucketSeconds must be a positive integer, got ${q.bucketSeconds}`);
  }
  const t = mcpInvocations;
  // Inlined, not a parameter: the select list and GROUP BY must hold the very same expression.
  const size = sql.raw(String(q.bucketSeconds));
  const bucket = sql`floor(extract(epoch from ${t.startedAt}) / ${size})::bigint`;
  const percentile = (p: number) =>
    sql<
      number | null
    >`percentile_cont(${sql.raw(String(p))}) within group (order by ${t.latencyMs})`.mapWith(
      Number,
    );
  const rows = await db
    .select({
      bucket: sql<number | null>`${bucket}`.mapWith(Number),
      calls: sql<number>`count(*)::int`.mapWith(Number),
      errors: sql<number>`(count(*) filter (where ${t.isError}))::int`.mapWith(Number),
      p50Ms: percentile(0.5),
      p95Ms: percentile(0.95),
      p99Ms: percentile(0.99),
    })
    .from(t)
    .where(
      and(
        eq(t.serverId, q.serverId),
        eq(t.direction, "client"),
        isNotNull(t.latencyMs),
        gte(t.startedAt, q.since),
        lt(t.startedAt, q.until),
      ),
    )
    .groupBy(sql`grouping sets ((${bucket}), ())`);
  const stats = (r: (typeof rows)[number]): InvocationStats => ({
    calls: r.calls,
    errors: r.errors,
    p50Ms: r.p50Ms,
    p95Ms: r.p95Ms,
    p99Ms: r.p99Ms,
  });
  const totals = rows.find((r) => r.bucket === null);
  return {
    buckets: rows
      .filter((r) => r.bucket !== null)
      .map((r) => ({ start: new Date((r.bucket ?? 0) * q.bucketSeconds * 1000), ...stats(r) }))
      .sort((a, b) => a.start.getTime() - b.start.getTime()),
    totals: totals ? stats(totals) : { calls: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null },
  };
}
