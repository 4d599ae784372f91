import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ServerService } from "../../domain/servers/server-service.js";
import { MAX_BUCKET_SECONDS, MAX_BUCKETS, MIN_BUCKET_SECONDS } from "../../domain/time-buckets.js";
import { summarizeInvocations } from "../../domain/traces/invocation-summary.js";
import type {
  Invocation,
  InvocationFilter,
  InvocationRepository,
} from "../../domain/traces/ports.js";
import type { Clock } from "../../lib/clock.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, iso, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { resumeAfter, sse } from "../sse.js";

const tags = ["Traces"];
const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });

const InvocationSchema = z
  .object({
    id: z.number().int(),
    serverId: z.string(),
    sessionId: z.string().nullable(),
    clientName: z.string().nullable(),
    clientVersion: z.string().nullable(),
    direction: z.enum(["client", "server"]).openapi({
      description: "Who sent the request: the client, or the server (sampling, elicitation, roots)",
    }),
    method: z.string(),
    target: z.string().nullable().openapi({
      description: "The tool or prompt name, resource URI or completion reference, if any",
    }),
    params: z.unknown().openapi({
      description:
        'Secrets redacted; over the size cap, `{"truncated": true, "bytes": n, "preview": "..."}`',
    }),
    result: z.unknown().openapi({ description: "Like params; null for errors and notifications" }),
    error: z
      .object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() })
      .nullable(),
    isError: z.boolean(),
    latencyMs: z.number().nullable(),
    startedAt: z.iso.datetime(),
  })
  .openapi("Invocation");

const toDto = (i: Invocation) => ({
  id: i.id,
  serverId: i.serverId,
  sessionId: i.sessionId,
  clientName: i.clientName,
  clientVersion: i.clientVersion,
  direction: i.direction,
  method: i.method,
  target: i.target,
  params: i.params,
  result: i.result,
  error: i.error,
  isError: i.isError,
  latencyMs: i.latencyMs,
  startedAt: iso(i.startedAt),
});

const Filters = z.object({
  method: z.string().max(200).optional().openapi({ example: "tools/call" }),
  tool: z.string().max(1000).optional().openapi({
    description: "The target: a tool or prompt name, or a resource URI",
  }),
  error: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: only errors (error responses, tool errors, no response)" }),
  session: z.string().max(200).optional().openapi({ description: "An MCP session id" }),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});
type FilterQuery = z.infer<typeof Filters>;

const PageSchema = z.object({
  items: z.array(InvocationSchema),
  nextBefore: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Pass as `before` for the next (older) page; null on the last" }),
});

const STREAM_DESCRIPTION =
  "Server-Sent Events, event `invocation` with `id:` the invocation id. With Last-Event-ID (or `after`), first the stored invocations after it, then live ones, without gaps or repeats; without, live only.";

const list = createRoute({
  method: "get",
  path: "/servers/{serverId}/invocations",
  tags,
  summary: "MCP requests through the gateway and their answers, newest first",
  ...secured(
    "servers:read",
    `Page back with \`before\` (from \`nextBefore\`). With \`Accept: text/event-stream\`, the live feed instead: ${STREAM_DESCRIPTION}`,
  ),
  request: {
    params: Params,
    query: Filters.extend({
      before: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: {
    200: {
      description: "A page of invocations, or the live feed",
      content: {
        "application/json": { schema: PageSchema },
        "text/event-stream": { schema: z.string() },
      },
    },
    ...errorResponses(401, 403, 404),
  },
});

const stream = createRoute({
  method: "get",
  path: "/servers/{serverId}/invocations/stream",
  tags,
  summary: "Live MCP requests (SSE, event `invocation`); Last-Event-ID resumes",
  ...secured("servers:read", STREAM_DESCRIPTION),
  request: {
    params: Params,
    query: Filters.extend({ after: z.coerce.number().int().min(0).optional() }),
  },
  responses: {
    200: {
      description: "text/event-stream of `invocation` events",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...errorResponses(401, 403, 404),
  },
});

const StatsFields = {
  calls: z.number().int(),
  errors: z.number().int().openapi({ description: "Error responses, tool errors, unanswered" }),
  p50Ms: z.number().nullable().openapi({ description: "Median latency; null without calls" }),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
};
const SummarySchema = z
  .object({
    bucketSeconds: z.number().int(),
    buckets: z
      .array(z.object({ start: z.iso.datetime(), ...StatsFields }))
      .openapi({ description: "Every bucket of the range, oldest first; empty ones hold zeros" }),
    totals: z.object(StatsFields),
  })
  .openapi("InvocationSummary");

const summary = createRoute({
  method: "get",
  path: "/servers/{serverId}/invocations/summary",
  tags,
  summary: "MCP calls, errors and latency percentiles per time bucket, for charts",
  ...secured(
    "servers:read",
    `Counts the client's requests (not notifications) started in \`[since, until)\`. Buckets start at whole multiples of \`bucketSeconds\` since the Unix epoch; at most ${MAX_BUCKETS} per request.`,
  ),
  request: {
    params: Params,
    query: z.object({
      since: z.iso.datetime().optional().openapi({ description: "Default: an hour before until" }),
      until: z.iso.datetime().optional().openapi({ description: "Default: now" }),
      bucketSeconds: z.coerce
        .number()
        .int()
        .min(MIN_BUCKET_SECONDS)
        .max(MAX_BUCKET_SECONDS)
        .default(60),
    }),
  },
  responses: {
    200: jsonContent(SummarySchema, "The buckets and the totals over the range"),
    ...errorResponses(401, 403, 404),
  },
});

type Filter = Omit<InvocationFilter, "beforeId" | "afterId" | "limit">;

function filterOf(serverId: string, q: FilterQuery): Filter {
  return {
    serverId,
    method: q.method,
    target: q.tool,
    errorsOnly: q.error === "true",
    sessionId: q.session,
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
  };
}

/** The filter the repository applies, for invocations arriving live. */
function matches(i: Invocation, f: Filter): boolean {
  return (
    (f.method === undefined || i.method === f.method) &&
    (f.target === undefined || i.target === f.target) &&
    (!f.errorsOnly || i.isError) &&
    (f.sessionId === undefined || i.sessionId === f.sessionId) &&
    (f.since === undefined || i.startedAt >= f.since) &&
    (f.until === undefined || i.startedAt <= f.until)
  );
}

/** The live feed of stored invocations, per server (the tracer). */
export interface InvocationFeed {
  onInvocations(serverId: string, listener: (items: Invocation[]) => void): () => void;
}

export function createInvocationRoutes(deps: {
  servers: ServerService;
  invocations: InvocationRepository;
  feed: InvocationFeed;
  clock: Clock;
}) {
  const { servers, invocations, feed } = deps;

  /** Replays stored invocations after `after`, then streams new ones, without gaps or repeats. */
  function streamInvocations(c: Context, filter: Filter, after: number | undefined) {
    return sse(c, async (send) => {
      let lastSent = after ?? 0;
      const buffered: Invocation[] = [];
      let live = false;
      const emit = (items: Invocation[]) => {
        for (const i of items) {
          if (i.id <= lastSent) continue;
          lastSent = i.id;
          if (matches(i, filter)) void send({ event: "invocation", data: toDto(i), id: i.id });
        }
      };
      // Subscribe before reading the backlog, so nothing stored meanwhile is missed.
      const unsubscribe = feed.onInvocations(filter.serverId, (items) =>
        live ? emit(items) : buffered.push(...items),
      );
      try {
        if (after !== undefined) {
          for (;;) {
            const page = await invocations.list({ ...filter, afterId: lastSent, limit: 500 });
            emit(page);
            if (page.length < 500) break;
          }
        }
      } catch (err) {
        unsubscribe();
        throw err;
      }
      emit(buffered);
      live = true;
      return unsubscribe;
    });
  }

  return newRouter()
    .openapi(list, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const q = c.req.valid("query");
      const filter = filterOf(serverId, q);
      if (c.req.header("accept")?.includes("text/event-stream")) {
        return streamInvocations(c, filter, resumeAfter(c));
      }
      const items = await invocations.list({ ...filter, beforeId: q.before, limit: q.limit });
      const last = items.at(-1);
      return c.json(
        {
          items: items.map(toDto),
          nextBefore: items.length === q.limit && last ? last.id : null,
        },
        200,
      );
    })
    .openapi(summary, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const q = c.req.valid("query");
      const until = q.until ? new Date(q.until) : deps.clock.now();
      const since = q.since ? new Date(q.since) : new Date(until.getTime() - 3_600_000);
      const result = await summarizeInvocations(invocations, {
        serverId,
        since,
        until,
        bucketSeconds: q.bucketSeconds,
      });
      return c.json(
        {
          bucketSeconds: result.bucketSeconds,
          buckets: result.buckets.map((b) => ({ ...b, start: iso(b.start) })),
          totals: result.totals,
        },
        200,
      );
    })
    .openapi(stream, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      return streamInvocations(c, filterOf(serverId, c.req.valid("query")), resumeAfter(c));
    });
}
