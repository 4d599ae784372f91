import type {
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * Envelope checks on already-parsed JSON-RPC messages. The gateway reads only the envelope
 * (id, method, a few params) and passes the rest through untouched.
 */
export type JsonRpcParams = Record<string, unknown> & { _meta?: Record<string, unknown> };

export const isRequest = (m: JSONRPCMessage): m is JSONRPCRequest =>
  "method" in m && "id" in m && m.id !== undefined;

export const isNotification = (m: JSONRPCMessage): m is JSONRPCNotification =>
  "method" in m && !("id" in m && m.id !== undefined);

export const isResponse = (m: JSONRPCMessage): m is JSONRPCResponse =>
  !("method" in m) && "id" in m && ("result" in m || "error" in m);

/** Whether a POST body (one message or a batch) opens a session. */
export function containsInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some(
    (m) =>
      typeof m === "object" && m !== null && (m as { method?: unknown }).method === "initialize",
  );
}
