import { bucketStarts } from "../time-buckets.js";
import type {
  InvocationBucket,
  InvocationRepository,
  InvocationStats,
  InvocationSummaryQuery,
} from "./ports.js";

/** What a chart of MCP calls needs: one bucket per step of the range, none missing. */
export interface InvocationSummary {
  bucketSeconds: number;
  /** Every bucket covering the range, oldest first; buckets without calls hold zeros and nulls. */
  buckets: InvocationBucket[];
  totals: InvocationStats;
}

const EMPTY: InvocationStats = { calls: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null };

/**
 * Calls, errors and latency percentiles of a server's client requests over `[since, until)`, per
 * bucket and in total. Throws VALIDATION_FAILED (naming `since` or `bucketSeconds`) for an empty
 * range or too many buckets. The caller has checked that the reader may see the server.
 */
export async function summarizeInvocations(
  invocations: InvocationRepository,
  query: InvocationSummaryQuery,
): Promise<InvocationSummary> {
  const starts = bucketStarts(query, query.bucketSeconds);
  const rows = await invocations.summarize(query);
  const byStart = new Map(rows.buckets.map((b) => [b.start.getTime(), b]));
  return {
    bucketSeconds: query.bucketSeconds,
    buckets: starts.map((start) => byStart.get(start.getTime()) ?? { start, ...EMPTY }),
    totals: rows.totals,
  };
}
