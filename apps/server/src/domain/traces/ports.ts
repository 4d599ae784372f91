/** A JSON-RPC error object, as the server (or the gateway, for cancellations) answered it. */
export interface InvocationError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * One MCP request (or client notification) through the gateway and what came back. `params`,
 * `result` and `error.data` are already redacted and size-capped when they reach the repository.
 */
export interface Invocation {
  id: number;
  serverId: string;
  /** Null for connections without an MCP session (the playground, discovery). */
  sessionId: string | null;
  clientName: string | null;
  clientVersion: string | null;
  /** Who sent the request: `client` (towards the server) or `server` (sampling, elicitation...). */
  direction: "client" | "server";
  method: string;
  /** The tool, prompt, resource URI or completion reference the request names, if any. */
  target: string | null;
  params: unknown;
  result: unknown;
  error: InvocationError | null;
  /** An error response, a tool result with `isError: true`, or no response at all. */
  isError: boolean;
  /** Null for notifications. */
  latencyMs: number | null;
  startedAt: Date;
}

export type NewInvocation = Omit<Invocation, "id">;

export interface InvocationFilter {
  serverId: string;
  method?: string | undefined;
  target?: string | undefined;
  errorsOnly?: boolean | undefined;
  sessionId?: string | undefined;
  beforeId?: number | undefined;
  afterId?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  limit: number;
}

export interface InvocationRepository {
  /** Stores the invocations in the given order; ids increase in that order. */
  insertMany(invocations: NewInvocation[]): Promise<Invocation[]>;
  /**
   * The newest `limit` matching invocations, newest first (older than `beforeId` when given).
   * With `afterId`, reads forward instead: the `limit` oldest after it, oldest first.
   */
  list(filter: InvocationFilter): Promise<Invocation[]>;
  /** Keeps the newest `keep` invocations of a server. */
  prune(serverId: string, keep: number): Promise<void>;
  /** Calls, errors and latency percentiles per time bucket, computed by the database. */
  summarize(query: InvocationSummaryQuery): Promise<InvocationSummaryRows>;
}

/** Request count, errors and latency percentiles of a set of invocations (null when none). */
export interface InvocationStats {
  calls: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** One time bucket of a summary: `[start, start + bucketSeconds)`. */
export interface InvocationBucket extends InvocationStats {
  start: Date;
}

export interface InvocationSummaryQuery {
  serverId: string;
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
  /** Buckets start at whole multiples of this many seconds since the Unix epoch. */
  bucketSeconds: number;
}

/**
 * The summary's raw material: only buckets with at least one call, oldest first, and the totals
 * over the whole range. Counts client requests that were answered or given up on with a latency
 * (not notifications, not the server's own requests).
 */
export interface InvocationSummaryRows {
  buckets: InvocationBucket[];
  totals: InvocationStats;
}
