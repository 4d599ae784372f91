import { createHash, timingSafeEqual } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import type { Database } from "../../db/database.js";
import { DomainError } from "../../lib/errors.js";
import type { HttpMetrics } from "../metrics.js";
import { bearerToken } from "../middleware/authenticate.js";
import { jsonContent, ProblemSchema } from "../openapi.js";
import { PROBLEM_CONTENT_TYPE } from "../problem.js";
import { newRouter } from "../router.js";

const tags = ["Operations"];
const StatusSchema = z.object({ status: z.literal("ok") });

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags,
  summary: "Liveness: the process is up",
  responses: { 200: jsonContent(StatusSchema, "Alive") },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  tags,
  summary: "Readiness: the database answers",
  responses: {
    200: jsonContent(StatusSchema, "Ready"),
    503: {
      description: "Not ready",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
  },
});

const metrics = createRoute({
  method: "get",
  path: "/metrics",
  tags,
  summary: "Prometheus metrics",
  description: "When MCPHOST_METRICS_TOKEN is set, send it as a Bearer token.",
  responses: {
    200: {
      description: "Prometheus text format",
      content: { "text/plain": { schema: z.string() } },
    },
    401: {
      description: "Metrics token required",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
  },
});

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

export function createOpsRoutes(deps: {
  database: Database;
  metrics: HttpMetrics;
  metricsToken: string | undefined;
  /** True once shutdown has begun: requests still arriving on open connections learn we are leaving. */
  isDraining: () => boolean;
}) {
  return newRouter()
    .openapi(healthz, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(readyz, async (c) => {
      if (deps.isDraining()) throw new DomainError("SERVICE_UNAVAILABLE", "Shutting down");
      try {
        await deps.database.ping();
      } catch (err) {
        c.get("logger").warn({ err }, "readiness check failed: database unreachable");
        throw new DomainError("SERVICE_UNAVAILABLE", "The database is not reachable");
      }
      return c.json({ status: "ok" as const }, 200);
    })
    .openapi(metrics, async (c) => {
      if (deps.metricsToken && !sameSecret(bearerToken(c), deps.metricsToken)) {
        throw new DomainError("UNAUTHENTICATED", "Send MCPHOST_METRICS_TOKEN as a Bearer token");
      }
      const body = await deps.metrics.registry.metrics();
      return c.text(body, 200, { "content-type": deps.metrics.registry.contentType });
    });
}
