import { UnparsedJson } from "../lib/json-envelope.js";

/**
 * The methods of the MCP specification (2025-11-25, as in the SDK's types). Metrics label
 * anything else "other", so a client inventing method names cannot grow the series without bound.
 */
const KNOWN_METHODS = new Set([
  "initialize",
  "ping",
  "completion/complete",
  "logging/setLevel",
  "prompts/get",
  "prompts/list",
  "resources/list",
  "resources/read",
  "resources/subscribe",
  "resources/templates/list",
  "resources/unsubscribe",
  "tools/call",
  "tools/list",
  "tasks/cancel",
  "tasks/get",
  "tasks/list",
  "tasks/result",
  "sampling/createMessage",
  "elicitation/create",
  "roots/list",
  "notifications/cancelled",
  "notifications/initialized",
  "notifications/progress",
  "notifications/message",
  "notifications/elicitation/complete",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
  "notifications/resources/updated",
  "notifications/roots/list_changed",
  "notifications/tasks/status",
  "notifications/tools/list_changed",
]);

/** The method as a metric label: itself when MCP defines it, else "other". */
export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : "other";
}

const MAX_TARGET_LENGTH = 1000;

/** The value as a plain object, or undefined when it is not one. */
export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** What a request names: the tool or prompt, the resource URI, or the completion's reference. */
export function targetOf(method: string, params: unknown): string | null {
  const p =
    params instanceof UnparsedJson
      ? { name: params.member("name"), uri: params.member("uri"), ref: params.member("ref") }
      : asRecord(params);
  if (!p) return null;
  let target: unknown;
  switch (method) {
    case "tools/call":
    case "prompts/get":
      target = p.name;
      break;
    case "resources/read":
    case "resources/subscribe":
    case "resources/unsubscribe":
      target = p.uri;
      break;
    case "completion/complete": {
      const ref = asRecord(p.ref);
      target = ref?.name ?? ref?.uri;
      break;
    }
  }
  return typeof target === "string" ? target.slice(0, MAX_TARGET_LENGTH) : null;
}

/** Whether a tool's result says it failed (`isError: true`), parsed or not. */
export function isErrorResult(result: unknown): boolean {
  const flag =
    result instanceof UnparsedJson ? result.member("isError") : asRecord(result)?.isError;
  return flag === true;
}
