import { createRoute, z } from "@hono/zod-openapi";
import type { Actor } from "../../domain/authz/actor.js";
import type { Policy } from "../../domain/authz/policy.js";
import type { ServerEvent, ServerEventBus, ServerLogLine } from "../../domain/servers/ports.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import type { Store } from "../../domain/store.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, iso, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";
import { resumeAfter, type SseSend, sse } from "../sse.js";

const tags = ["Server activity"];
const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });
const sseResponse = (description: string) => ({
  200: { description, content: { "text/event-stream": { schema: z.string() } } },
  ...errorResponses(401, 403, 404),
});

const LogLineSchema = z
  .object({
    id: z.number().int(),
    time: z.iso.datetime(),
    stream: z.enum(["stdout", "stderr", "system"]),
    line: z.string(),
  })
  .openapi("LogLine");
const EventSchema = z
  .object({
    id: z.number().int(),
    serverId: z.string(),
    kind: z.string(),
    details: z.record(z.string(), z.unknown()),
    time: z.iso.datetime(),
  })
  .openapi("ServerEvent");

const toLog = (l: ServerLogLine) => ({
  id: l.id,
  time: iso(l.time),
  stream: l.stream,
  line: l.line,
});
const toEvent = (e: ServerEvent) => ({
  id: e.id,
  serverId: e.serverId,
  kind: e.kind,
  details: e.details,
  time: iso(e.time),
});

/** Usage events: everything but the status-change records. */
const USAGE = { excludeKinds: ["status"] };

const logs = createRoute({
  method: "get",
  path: "/servers/{serverId}/logs",
  tags,
  summary: "Log history: server output and lifecycle steps, newest page first",
  ...secured("servers:read", "Page back with `before` (an id); read forward with `after`."),
  request: {
    params: Params,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      before: z.coerce.number().int().min(0).optional(),
      after: z.coerce.number().int().min(0).optional(),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(LogLineSchema) }), "Lines, oldest first"),
    ...errorResponses(401, 403, 404),
  },
});

const logStream = createRoute({
  method: "get",
  path: "/servers/{serverId}/logs/stream",
  tags,
  summary: "Live log tail (SSE, event `log`); Last-Event-ID resumes without gaps or repeats",
  ...secured("servers:read"),
  request: { params: Params },
  responses: sseResponse("text/event-stream of `log` events"),
});

const usage = createRoute({
  method: "get",
  path: "/servers/{serverId}/metrics",
  tags,
  summary: "Usage events: create, deploy, install, pull, start, stop, restart, crash, delete",
  ...secured("servers:read"),
  request: {
    params: Params,
    query: z.object({
      kind: z.string().max(200).optional().openapi({ description: "Comma-separated kinds" }),
      since: z.iso.datetime().optional(),
      until: z.iso.datetime().optional(),
      after: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(EventSchema) }), "Events, oldest first"),
    ...errorResponses(401, 403, 404),
  },
});

const usageStream = createRoute({
  method: "get",
  path: "/servers/{serverId}/metrics/stream",
  tags,
  summary: "Live usage events (SSE, event `usage`); Last-Event-ID resumes",
  ...secured("servers:read"),
  request: { params: Params },
  responses: sseResponse("text/event-stream of `usage` events"),
});

const serverStatusStream = createRoute({
  method: "get",
  path: "/servers/{serverId}/events",
  tags,
  summary: "Status changes of one server (SSE, event `status`); Last-Event-ID resumes",
  ...secured("servers:read"),
  request: { params: Params },
  responses: sseResponse("text/event-stream of `status` events"),
});

const allStatusStream = createRoute({
  method: "get",
  path: "/servers/events",
  tags,
  summary: "Status changes of every server you can see (SSE, event `status`)",
  ...secured("servers:read"),
  responses: sseResponse("text/event-stream of `status` events"),
});

export function createServerActivityRoutes(deps: {
  servers: ServerService;
  store: Store;
  bus: ServerEventBus;
  policy: Policy;
}) {
  const { servers, store, bus } = deps;

  /** Replays stored events after `after`, then streams new ones matching `keep`, without repeats. */
  async function streamEvents(
    send: SseSend,
    serverId: string,
    after: number | undefined,
    event: string,
    keep: (e: ServerEvent) => boolean,
  ) {
    let lastSent = after ?? 0;
    const buffered: ServerEvent[] = [];
    let live = false;
    const emit = (events: ServerEvent[]) => {
      for (const e of events) {
        if (e.id <= lastSent) continue;
        lastSent = e.id;
        if (keep(e)) void send({ event, data: toEvent(e), id: e.id });
      }
    };
    // Subscribe before reading the backlog, so nothing stored meanwhile is missed.
    const unsubscribe = bus.onEvent((e) => {
      if (e.serverId !== serverId) return;
      if (live) emit([e]);
      else buffered.push(e);
    });
    if (after !== undefined) {
      for (;;) {
        const page = await store.serverEvents.list({ serverId, afterId: lastSent, limit: 500 });
        emit(page);
        if (page.length < 500) break;
      }
    }
    emit(buffered);
    live = true;
    return unsubscribe;
  }

  return newRouter()
    .openapi(allStatusStream, (c) => {
      const actor = actorOf(c);
      const visible = visibilityCache(deps.policy, actor);
      return sse(c, async (send) =>
        bus.onEvent((e) => {
          if (e.kind !== "status") return;
          visible(e, (ok) =>
            ok ? send({ event: "status", data: toEvent(e), id: e.id }) : undefined,
          );
        }),
      );
    })
    .openapi(logs, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const q = c.req.valid("query");
      const items = await store.serverLogs.list({
        serverId,
        afterId: q.after,
        beforeId: q.before,
        limit: q.limit,
      });
      return c.json({ items: items.map(toLog) }, 200);
    })
    .openapi(logStream, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const after = resumeAfter(c);
      return sse(c, async (send) => {
        let lastSent = after ?? 0;
        const buffered: ServerLogLine[] = [];
        let live = false;
        const emit = (lines: ServerLogLine[]) => {
          for (const l of lines) {
            if (l.id <= lastSent) continue;
            lastSent = l.id;
            void send({ event: "log", data: toLog(l), id: l.id });
          }
        };
        // Subscribe before reading the backlog, so nothing written meanwhile is missed.
        const unsubscribe = bus.onLogs(serverId, (lines) =>
          live ? emit(lines) : buffered.push(...lines),
        );
        if (after === undefined) {
          emit(await store.serverLogs.list({ serverId, limit: 100 }));
        } else {
          for (;;) {
            const page = await store.serverLogs.list({ serverId, afterId: lastSent, limit: 1000 });
            emit(page);
            if (page.length < 1000) break;
          }
        }
        emit(buffered);
        live = true;
        return unsubscribe;
      });
    })
    .openapi(usage, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const q = c.req.valid("query");
      const items = await store.serverEvents.list({
        serverId,
        kinds: q.kind
          ?.split(",")
          .map((k) => k.trim())
          .filter(Boolean),
        ...USAGE,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        afterId: q.after,
        limit: q.limit,
      });
      return c.json({ items: items.map(toEvent) }, 200);
    })
    .openapi(usageStream, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const after = resumeAfter(c);
      return sse(c, (send) =>
        streamEvents(send, serverId, after, "usage", (e) => e.kind !== "status"),
      );
    })
    .openapi(serverStatusStream, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const after = resumeAfter(c);
      return sse(c, (send) =>
        streamEvents(send, serverId, after, "status", (e) => e.kind === "status"),
      );
    });
}

/**
 * Whether the actor may see an event's server. Answers are cached for a few seconds per
 * connection (a member removed from an org stops seeing its events within that time), and
 * checks run one after another so events leave in the order they happened.
 */
function visibilityCache(policy: Policy, actor: Actor) {
  const cache = new Map<string, { ok: boolean; at: number }>();
  let chain: Promise<unknown> = Promise.resolve();
  const check = async (e: ServerEvent): Promise<boolean> => {
    const key = e.owner.kind === "user" ? `u:${e.owner.userId}` : `o:${e.owner.orgId}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 5_000) return hit.ok;
    const ok = await policy.authorizeOwned(actor, e.owner, "read").then(
      () => true,
      () => false,
    );
    cache.set(key, { ok, at: Date.now() });
    return ok;
  };
  return (e: ServerEvent, then: (visible: boolean) => unknown) => {
    chain = chain.then(() => check(e)).then(then, () => undefined);
  };
}
