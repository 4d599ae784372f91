import { bucketStarts, checkRange, MAX_BUCKETS } from "../time-buckets.js";
import type { ServerStatsRepository, ServerStatsSample } from "./ports.js";

/** Most raw samples one request returns (the newest): about 40 hours at the default interval. */
export const MAX_RAW_SAMPLES = 10_000;

export interface StatsHistoryQuery {
  serverId: string;
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
  /** Set: averages per bucket (as for invocation summaries). Unset: every sample. */
  bucketSeconds?: number | undefined;
}

/**
 * A server's CPU and memory samples over `[since, until)`, oldest first; only times when it ran
 * have samples. Throws VALIDATION_FAILED (naming `since` or `bucketSeconds`) for an empty range
 * or too many buckets. The caller has checked that the reader may see the server.
 */
export async function readStatsHistory(
  samples: ServerStatsRepository,
  query: StatsHistoryQuery,
): Promise<ServerStatsSample[]> {
  if (query.bucketSeconds === undefined) {
    checkRange(query);
    return samples.list({ ...query, limit: MAX_RAW_SAMPLES });
  }
  bucketStarts(query, query.bucketSeconds);
  return samples.list({ ...query, limit: MAX_BUCKETS });
}
