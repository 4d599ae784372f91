import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { newId } from "../../lib/ids.js";
import type { Logger } from "../../lib/logger.js";
import type { AppEnv } from "../app-env.js";
import type { HttpMetrics } from "../metrics.js";

/** A caller-supplied request id is kept only if it is short and plain, so logs cannot be spoofed. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The route pattern that answered (/api/orgs/:orgId), not the raw path, so metric labels stay few.
 * Middleware and fallbacks are registered on wildcard paths; the first concrete pattern is the handler.
 */
function routeLabel(c: Context): string {
  const route = matchedRoutes(c).find((r) => !r.path.includes("*"));
  if (route) return route.path;
  if (c.req.path.startsWith("/api/") || c.res.status === 404) return "unmatched";
  return "web";
}

/**
 * First middleware of every request: assigns the request id (echoed in `x-request-id`), a logger
 * bound to it, and on the way out records metrics and one access-log line.
 */
export function requestContext(deps: { logger: Logger; metrics: HttpMetrics }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId =
      incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : newId("request");
    c.set("requestId", requestId);
    c.set("logger", deps.logger.child({ requestId }));
    c.set("actor", undefined);
    await next();
    // A handler that wrote Node's response itself (the MCP HTTP+SSE stream) has sent its headers;
    // replacing its marker response here would make the adapter answer the request a second time.
    const sent = c.res === RESPONSE_ALREADY_SENT;
    if (!sent) c.header("x-request-id", requestId);
    // The marker's own status is 200 whatever was sent; Node's response knows the real one.
    const status = sent
      ? ((c.env as Partial<HttpBindings> | undefined)?.outgoing?.statusCode ?? 200)
      : c.res.status;
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c);
    deps.metrics.observe(c.req.method, route, status, seconds);
    const level = status >= 500 ? "error" : "info";
    c.get("logger")[level](
      {
        method: c.req.method,
        path: c.req.path,
        route,
        status,
        durationMs: Math.round(seconds * 1000),
      },
      "request",
    );
  });
}
