import { createRoute, z } from "@hono/zod-openapi";
import type { ServerStatsRepository } from "../../domain/servers/ports.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import { MAX_RAW_SAMPLES, readStatsHistory } from "../../domain/servers/server-stats-history.js";
import { MAX_BUCKET_SECONDS, MAX_BUCKETS, MIN_BUCKET_SECONDS } from "../../domain/time-buckets.js";
import type { Clock } from "../../lib/clock.js";
import type { StatsSampler } from "../../lifecycle/stats-sampler.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, iso, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const tags = ["Server activity"];
const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });

const StatsSchema = z
  .object({
    running: z.boolean(),
    cpuPercent: z.number().nullable(),
    memoryBytes: z.number().nullable(),
    time: z.iso.datetime().nullable(),
  })
  .openapi("ServerStats");

const StatsSampleSchema = z
  .object({
    time: z.iso.datetime().openapi({ description: "When taken, or the bucket's start" }),
    cpuPercent: z.number().openapi({ description: "Percent of one core" }),
    memoryBytes: z.number(),
  })
  .openapi("ServerStatsSample");

const stats = createRoute({
  method: "get",
  path: "/servers/{serverId}/stats",
  tags,
  summary: "Current CPU and memory of the server's instance",
  ...secured("servers:read"),
  request: { params: Params },
  responses: { 200: jsonContent(StatsSchema, "A fresh sample"), ...errorResponses(401, 403, 404) },
});

const history = createRoute({
  method: "get",
  path: "/servers/{serverId}/stats/history",
  tags,
  summary: "CPU and memory over time, as sampled while the server ran",
  ...secured(
    "servers:read",
    `Samples taken in \`[since, until)\`, oldest first; times the server did not run have none. Without \`bucketSeconds\`, every sample (at most the newest ${MAX_RAW_SAMPLES}); with it, the averages per bucket, at the bucket's start (whole multiples of \`bucketSeconds\` since the Unix epoch; at most ${MAX_BUCKETS} buckets).`,
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
        .optional(),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(StatsSampleSchema) }), "Samples, oldest first"),
    ...errorResponses(401, 403, 404),
  },
});

/** A server's CPU and memory: a fresh sample, and the stored history. */
export function createServerStatsRoutes(deps: {
  servers: ServerService;
  samples: ServerStatsRepository;
  sampler: StatsSampler;
  clock: Clock;
}) {
  const { servers } = deps;
  return newRouter()
    .openapi(stats, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const sample = await deps.sampler.sample(serverId);
      return c.json(
        {
          running: sample !== undefined,
          cpuPercent: sample?.cpuPercent ?? null,
          memoryBytes: sample?.memoryBytes ?? null,
          time: sample ? iso(sample.time) : null,
        },
        200,
      );
    })
    .openapi(history, async (c) => {
      const { serverId } = c.req.valid("param");
      await servers.authorized(actorOf(c), serverId, "read");
      const q = c.req.valid("query");
      const until = q.until ? new Date(q.until) : deps.clock.now();
      const since = q.since ? new Date(q.since) : new Date(until.getTime() - 3_600_000);
      const items = await readStatsHistory(deps.samples, {
        serverId,
        since,
        until,
        bucketSeconds: q.bucketSeconds,
      });
      return c.json(
        {
          items: items.map((s) => ({
            time: iso(s.time),
            cpuPercent: s.cpuPercent,
            memoryBytes: s.memoryBytes,
          })),
        },
        200,
      );
    });
}
