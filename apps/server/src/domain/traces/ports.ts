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
}
