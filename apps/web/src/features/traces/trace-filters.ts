import type { Invocation } from "@mcphost/api-client";

/** What the reader narrowed the traces to; kept in the URL so a reload or a link keeps it. */
export interface TraceFilters {
  /** An exact MCP method; empty for any. */
  method: string;
  /** An exact target (tool or prompt name, resource URI); empty for any. */
  tool: string;
  errorsOnly: boolean;
}

/** Offered in the method select; any other method can still be typed in. */
export const COMMON_METHODS = [
  "tools/call",
  "tools/list",
  "resources/read",
  "resources/list",
  "resources/templates/list",
  "resources/subscribe",
  "prompts/get",
  "prompts/list",
  "completion/complete",
  "initialize",
  "ping",
  "logging/setLevel",
  "sampling/createMessage",
  "elicitation/create",
  "roots/list",
  "notifications/initialized",
  "notifications/cancelled",
] as const;

/** The URL parameters, named as the API names them so a dashboard URL reads like the API query. */
const PARAM = { method: "method", tool: "tool", errorsOnly: "error", trace: "trace" } as const;

export function filtersFromParams(params: URLSearchParams): TraceFilters {
  return {
    method: params.get(PARAM.method)?.trim() ?? "",
    tool: params.get(PARAM.tool)?.trim() ?? "",
    errorsOnly: params.get(PARAM.errorsOnly) === "true",
  };
}

/** `params` with `filters` written over the filter parameters; other parameters are kept. */
export function withFilters(params: URLSearchParams, filters: TraceFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string) => (value ? next.set(name, value) : next.delete(name));
  set(PARAM.method, filters.method.trim());
  set(PARAM.tool, filters.tool.trim());
  set(PARAM.errorsOnly, filters.errorsOnly ? "true" : "");
  return next;
}

/** The invocation a link opens in the drawer (`?trace=`), if any. */
export function traceIdFromParams(params: URLSearchParams): number | null {
  const raw = params.get(PARAM.trace);
  const id = raw ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function withTraceId(params: URLSearchParams, id: number | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (id === null) next.delete(PARAM.trace);
  else next.set(PARAM.trace, String(id));
  return next;
}

/** The filter part of the API query, shared by the list and the live stream. */
export interface InvocationQuery {
  method?: string;
  tool?: string;
  error?: "true";
}

export function invocationQuery(filters: TraceFilters): InvocationQuery {
  const query: InvocationQuery = {};
  if (filters.method) query.method = filters.method;
  if (filters.tool) query.tool = filters.tool;
  if (filters.errorsOnly) query.error = "true";
  return query;
}

/**
 * The live feed with the same filters, resuming after `after` (the newest invocation the list
 * has, or 0): what was recorded between loading the list and opening the stream is replayed, so
 * nothing falls in between.
 */
export function invocationStreamUrl(serverId: string, filters: TraceFilters, after: number) {
  const query = new URLSearchParams({ ...invocationQuery(filters), after: String(after) });
  return `/api/servers/${encodeURIComponent(serverId)}/invocations/stream?${query}`;
}

/** One string per distinct filter, to key what belongs to one set of filters. */
export function filterKey(filters: TraceFilters): string {
  return JSON.stringify([filters.method, filters.tool, filters.errorsOnly]);
}

/** Live and paged invocations as one list, newest first, each once. */
export function mergeInvocations(
  live: readonly Invocation[],
  pages: readonly (readonly Invocation[])[],
): Invocation[] {
  const byId = new Map<number, Invocation>();
  for (const item of live) byId.set(item.id, item);
  for (const page of pages)
    for (const item of page) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

export type OutcomeKind = "ok" | "error" | "sent";

const OUTCOME_ICONS: Record<OutcomeKind, string> = { ok: "✓", error: "✕", sent: "→" };

/**
 * How an invocation ended, in words and an icon; color is never the only signal.
 * `icon` is decoration (aria-hidden where shown): `label` alone must carry the meaning.
 */
export function outcomeOf(i: Invocation): { kind: OutcomeKind; label: string; icon: string } {
  const outcome = (kind: OutcomeKind, label: string) => ({
    kind,
    label,
    icon: OUTCOME_ICONS[kind],
  });
  if (i.error?.code === -32800) return outcome("error", "cancelled");
  if (i.error) return outcome("error", "error");
  if (i.isError) return outcome("error", "tool error");
  // Notifications are recorded without an answer: there is nothing to have succeeded.
  if (i.method.startsWith("notifications/")) return outcome("sent", "notification");
  return outcome("ok", "ok");
}
