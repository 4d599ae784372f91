import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Registry } from "prom-client";
import type {
  InvocationError,
  InvocationRepository,
  NewInvocation,
} from "../domain/traces/ports.js";
import type { ClientInfo, GatewayObserver, SessionStore, TraceContext } from "../gateway/ports.js";
import type { Clock } from "../lib/clock.js";
import { createInvocationWriter, type InvocationWriterOptions } from "./invocation-writer.js";
import { asRecord, isErrorResult, targetOf } from "./mcp-methods.js";
import { redactAndCap, storable } from "./redact.js";
import { createTraceMetrics, type RequestOutcome } from "./trace-metrics.js";

export interface TracerOptions extends InvocationWriterOptions {
  /** Params, results and error data whose JSON is larger are stored truncated. */
  maxBytes: number;
  /** Requests awaiting an answer, per session; past it the oldest is recorded as abandoned. */
  maxPendingPerSession: number;
}

export const DEFAULT_TRACER_OPTIONS: TracerOptions = {
  retention: 10_000,
  maxBytes: 16_384,
  flushIntervalMs: 250,
  batchSize: 200,
  pruneIntervalMs: 5_000,
  maxBacklog: 10_000,
  maxPendingPerSession: 1000,
};

/** Recorded for a request its sender cancelled (`notifications/cancelled`). */
export const CANCELLED: InvocationError = { code: -32800, message: "cancelled" };
/** Recorded for requests still unanswered when their session ends. */
export const SESSION_ENDED: InvocationError = {
  code: -32000,
  message: "session ended before a response",
};
const ABANDONED: InvocationError = {
  code: -32000,
  message: "abandoned: too many requests were waiting for a response in this session",
};
const ID_REUSED: InvocationError = {
  code: -32000,
  message: "abandoned: a new request used the same id before a response",
};

/** Longest method, client name or version stored; clients choose these. */
const MAX_NAME_LENGTH = 200;
const name = (s: string) => storable(s.slice(0, MAX_NAME_LENGTH));

type Direction = "client" | "server";
type JsonRpcId = string | number;

interface PendingRequest {
  invocation: Omit<NewInvocation, "result" | "error" | "isError" | "latencyMs">;
  startedPerf: number;
}

/** A session's requests awaiting an answer, by direction and id, oldest first. */
type Pending = Map<string, PendingRequest>;

const requestKey = (direction: Direction, id: JsonRpcId) => `${direction} ${typeof id} ${id}`;
const isId = (v: unknown): v is JsonRpcId => typeof v === "string" || typeof v === "number";

function clientInfoOf(params: unknown): ClientInfo | undefined {
  const info = asRecord(asRecord(params)?.clientInfo);
  if (typeof info?.name !== "string") return undefined;
  return { name: info.name, version: typeof info.version === "string" ? info.version : "" };
}

/**
 * Records every MCP request through the gateway with its answer (one invocation each), the
 * notifications clients send, and Prometheus metrics of both.
 *
 * Requests are paired with responses per session, direction and JSON-RPC id: a client request
 * with the server's response, a server request (sampling, elicitation, roots, ping) with the
 * client's. Messages of contexts without a session id are paired per `TraceContext` object, so
 * the gateway passes the same object for every message of one such connection.
 *
 * Never throws into the gateway: failures go to `onError`.
 */
export function createTracer(deps: {
  repository: InvocationRepository;
  clock: Clock;
  /** Where the metrics are registered (the app's `/metrics` registry). */
  registry: Registry;
  /** Open sessions, for the active-sessions gauge; without it the gauge has no series. */
  sessions?: SessionStore | undefined;
  options?: Partial<TracerOptions>;
  /** Told when recording failed (the trace is lost; the MCP traffic is not affected). */
  onError?: (err: unknown) => void;
}) {
  const options = { ...DEFAULT_TRACER_OPTIONS, ...deps.options };
  const onError = deps.onError ?? (() => {});
  const { clock } = deps;
  const metrics = createTraceMetrics(deps.registry, deps.sessions);
  const writer = createInvocationWriter({
    repository: deps.repository,
    clock,
    options,
    onError,
  });
  const bySession = new Map<string, Pending>();
  const byConnection = new WeakMap<TraceContext, Pending>();
  const sessionKey = (ctx: TraceContext) => `${ctx.serverId}\n${ctx.sessionId}`;

  function pendingOf(ctx: TraceContext): Pending | undefined {
    return ctx.sessionId === null ? byConnection.get(ctx) : bySession.get(sessionKey(ctx));
  }

  function createPending(ctx: TraceContext): Pending {
    const pending: Pending = new Map();
    if (ctx.sessionId === null) byConnection.set(ctx, pending);
    else bySession.set(sessionKey(ctx), pending);
    return pending;
  }

  /**
   * Removes and returns a pending request. A session left with nothing pending is forgotten, so
   * memory follows what is in flight.
   */
  function take(ctx: TraceContext, key: string): PendingRequest | undefined {
    const pending = pendingOf(ctx);
    const req = pending?.get(key);
    if (!pending || !req) return undefined;
    pending.delete(key);
    if (pending.size === 0) {
      if (ctx.sessionId === null) byConnection.delete(ctx);
      else bySession.delete(sessionKey(ctx));
    }
    return req;
  }

  function capped(value: unknown): unknown {
    return redactAndCap(value, options.maxBytes) ?? null;
  }

  function errorOf(raw: unknown): InvocationError {
    const e = asRecord(raw);
    const error: InvocationError = {
      code: typeof e?.code === "number" ? e.code : -32603,
      message: typeof e?.message === "string" ? storable(e.message.slice(0, options.maxBytes)) : "",
    };
    if (e?.data !== undefined) error.data = capped(e.data);
    return error;
  }

  function base(
    ctx: TraceContext,
    direction: Direction,
    method: string,
    params: unknown,
  ): PendingRequest["invocation"] {
    const client = (method === "initialize" ? clientInfoOf(params) : undefined) ?? ctx.client;
    const target = targetOf(method, params);
    return {
      serverId: ctx.serverId,
      sessionId: ctx.sessionId,
      clientName: client ? name(client.name) : null,
      clientVersion: client ? name(client.version) : null,
      direction,
      method: name(method),
      target: target === null ? null : storable(target),
      params: capped(params),
      startedAt: clock.now(),
    };
  }

  /** Records a request that ended: answered (`answered`), or not (cancelled, abandoned...). */
  function settle(
    req: PendingRequest,
    end: { result?: unknown; error?: InvocationError; isError: boolean },
    outcome: RequestOutcome,
    answered: boolean,
  ) {
    const ms = performance.now() - req.startedPerf;
    metrics.request(
      req.invocation.serverId,
      req.invocation.method,
      outcome,
      answered ? ms / 1000 : undefined,
    );
    writer.add({
      ...req.invocation,
      result: end.result ?? null,
      error: end.error ?? null,
      isError: end.isError,
      latencyMs: Math.round(ms * 1000) / 1000,
    });
  }

  const unanswered = (req: PendingRequest, error: InvocationError) =>
    settle(req, { error, isError: true }, "cancelled", false);

  function onRequest(
    ctx: TraceContext,
    from: Direction,
    id: JsonRpcId,
    method: string,
    params: unknown,
  ) {
    const pending = pendingOf(ctx) ?? createPending(ctx);
    const key = requestKey(from, id);
    const previous = pending.get(key);
    if (previous) {
      pending.delete(key);
      unanswered(previous, ID_REUSED);
    }
    if (pending.size >= options.maxPendingPerSession) {
      const [oldestKey, oldest] = pending.entries().next().value as [string, PendingRequest];
      pending.delete(oldestKey);
      unanswered(oldest, ABANDONED);
    }
    pending.set(key, {
      invocation: base(ctx, from, method, params),
      startedPerf: performance.now(),
    });
  }

  /** `requester` is who sent the request this answers (the other side of the response's sender). */
  function onResponse(
    ctx: TraceContext,
    requester: Direction,
    id: JsonRpcId,
    message: Record<string, unknown>,
  ) {
    const req = take(ctx, requestKey(requester, id));
    if (!req) return; // unknown, or cancelled or abandoned already
    if (message.error !== undefined) {
      settle(req, { error: errorOf(message.error), isError: true }, "error", true);
    } else {
      const isError = isErrorResult(message.result);
      settle(req, { result: capped(message.result), isError }, isError ? "error" : "ok", true);
    }
  }

  function onNotification(ctx: TraceContext, from: Direction, method: string, params: unknown) {
    metrics.notification(ctx.serverId, method, from);
    if (method === "notifications/cancelled") {
      // The sender cancels one of its own requests.
      const requestId = asRecord(params)?.requestId;
      const req = isId(requestId) ? take(ctx, requestKey(from, requestId)) : undefined;
      if (req) unanswered(req, CANCELLED);
    }
    // Server notifications (progress, logging, list changes) are too many to keep; so is progress.
    if (from === "client" && method !== "notifications/progress") {
      writer.add({
        ...base(ctx, "client", method, params),
        result: null,
        error: null,
        isError: false,
        latencyMs: null,
      });
    }
  }

  function observe(ctx: TraceContext, message: unknown, from: Direction) {
    if (Array.isArray(message)) {
      for (const m of message) observe(ctx, m, from);
      return;
    }
    const m = asRecord(message);
    if (!m) return;
    if (typeof m.method === "string") {
      if (isId(m.id)) onRequest(ctx, from, m.id, m.method, m.params);
      else onNotification(ctx, from, m.method, m.params);
    } else if (isId(m.id) && ("result" in m || "error" in m)) {
      onResponse(ctx, from === "client" ? "server" : "client", m.id, m);
    }
  }

  /** Runs `fn`, reporting instead of throwing: the gateway must not fail because tracing did. */
  const guarded =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        onError(err);
      }
    };

  const observer: GatewayObserver = {
    fromClient: guarded((ctx: TraceContext, message: JSONRPCMessage) =>
      observe(ctx, message, "client"),
    ),
    fromServer: guarded((ctx: TraceContext, message: JSONRPCMessage) =>
      observe(ctx, message, "server"),
    ),
    sessionEnded: guarded((ctx: TraceContext) => {
      const pending = pendingOf(ctx);
      if (!pending) return;
      if (ctx.sessionId === null) byConnection.delete(ctx);
      else bySession.delete(sessionKey(ctx));
      for (const req of pending.values()) unanswered(req, SESSION_ENDED);
    }),
  };

  return {
    ...observer,
    /** Writes every invocation recorded so far; resolves when stored (shutdown, tests). */
    flush: writer.flush,
    /** Live feed: each batch of a server's stored invocations, with their ids, in id order. */
    onInvocations: writer.onInvocations,
  };
}

export type Tracer = ReturnType<typeof createTracer>;
