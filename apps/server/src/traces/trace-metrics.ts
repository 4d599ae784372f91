import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { SessionStore } from "../gateway/ports.js";
import { methodLabel } from "./mcp-methods.js";

/** How a request ended: answered, answered with an error, or never answered. */
export type RequestOutcome = "ok" | "error" | "cancelled";

/**
 * The gateway's Prometheus metrics. `server` is the server id; `method` is bounded to MCP's own
 * methods (see mcp-methods.ts).
 */
export function createTraceMetrics(registry: Registry, sessions?: SessionStore) {
  const requests = new Counter({
    name: "mcphost_mcp_requests_total",
    help: "MCP requests through the gateway, by server, method and outcome (ok, error, cancelled)",
    labelNames: ["server", "method", "outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "mcphost_mcp_request_duration_seconds",
    help: "Time from an MCP request to its response, by server and method",
    labelNames: ["server", "method"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const notifications = new Counter({
    name: "mcphost_mcp_notifications_total",
    help: "MCP notifications through the gateway, by server, method and sender (client, server)",
    labelNames: ["server", "method", "direction"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "mcphost_mcp_active_sessions",
    help: "Open MCP sessions, by server",
    labelNames: ["server"] as const,
    registers: [registry],
    collect() {
      // Counted afresh at each scrape, so a server whose sessions all ended has no series.
      this.reset();
      if (!sessions) return;
      const counts = new Map<string, number>();
      for (const s of sessions.all()) counts.set(s.serverId, (counts.get(s.serverId) ?? 0) + 1);
      for (const [server, n] of counts) this.set({ server }, n);
    },
  });

  return {
    /** A request ended; `seconds` only when it was answered. */
    request(server: string, method: string, outcome: RequestOutcome, seconds?: number) {
      const m = methodLabel(method);
      requests.inc({ server, method: m, outcome });
      if (seconds !== undefined) duration.observe({ server, method: m }, seconds);
    },
    notification(server: string, method: string, direction: "client" | "server") {
      notifications.inc({ server, method: methodLabel(method), direction });
    },
  };
}

export type TraceMetrics = ReturnType<typeof createTraceMetrics>;
