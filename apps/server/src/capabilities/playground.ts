import { performance } from "node:perf_hooks";
import { ErrorCode, McpError, ResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Server } from "../domain/servers/server.js";
import type { UpstreamConnector } from "../gateway/ports.js";
import { DomainError } from "../lib/errors.js";
import { type McpClientSession, openMcpSession } from "./mcp-client.js";

/** The `clientInfo.name` of the playground's connections, as servers and traces see it. */
export const PLAYGROUND_CLIENT_NAME = "MCP Host playground";
export const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
export const MAX_INVOKE_TIMEOUT_MS = 120_000;
/** `initialize` may take a while when a stdio server gets its own new instance for the call. */
const CONNECT_TIMEOUT_MS = 30_000;

/** One JSON-RPC request to send to a server, as the playground's user wrote it. */
export interface InvokeRequest {
  /** `tools/call`, `resources/read`, `prompts/get`, `tools/list`, `ping`... */
  method: string;
  params?: Record<string, unknown> | undefined;
  /** At most `MAX_INVOKE_TIMEOUT_MS`; `DEFAULT_INVOKE_TIMEOUT_MS` when absent. */
  timeoutMs?: number | undefined;
}

/** What came back: the result or the JSON-RPC error (an MCP error is an answer, not a failure). */
export interface InvokeOutcome {
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  /** The request's round trip; on a connection failure, the time until it failed. */
  latencyMs: number;
}

/**
 * The playground's rules, checked before anything is opened: the method must be a request the
 * client may send on its own (the session's `initialize` and notifications are ours to send), and
 * the server must be running. Throws VALIDATION_FAILED (field `method`) or CONFLICT.
 */
export function checkInvocation(server: Server, request: InvokeRequest): void {
  const { method } = request;
  if (method === "initialize" || method.startsWith("notifications/")) {
    throw new DomainError("VALIDATION_FAILED", `The playground cannot send ${method}`, {
      fields: [
        {
          field: "method",
          detail: "initialize and notifications are sent by the playground's own session",
        },
      ],
    });
  }
  if (server.status !== "running") {
    throw new DomainError(
      "CONFLICT",
      `The server is not running (status: ${server.status}); start it first`,
    );
  }
}

/** The SDK prefixes its errors' messages with "MCP error <code>: "; the code is shown apart. */
const mcpMessage = (err: McpError) => err.message.replace(/^MCP error -?\d+: /, "");

function errorOutcome(err: unknown, latencyMs: number, connecting: boolean): InvokeOutcome {
  if (err instanceof McpError) {
    const error = { code: err.code, message: mcpMessage(err) };
    return { error: err.data === undefined ? error : { ...error, data: err.data }, latencyMs };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    error: {
      code: connecting ? ErrorCode.ConnectionClosed : ErrorCode.InternalError,
      message: connecting ? `Could not connect to the server: ${message}` : message,
    },
    latencyMs,
  };
}

/**
 * Sends one request to a server the way a client of the gateway would, over a session of its own
 * that ends with the call. Errors of the server (JSON-RPC errors, timeouts, a connection that
 * fails) come back in the outcome; only the rules above and the connector's own refusals throw.
 */
export function createPlayground(deps: { connector: UpstreamConnector; version: string }) {
  const clientInfo = { name: PLAYGROUND_CLIENT_NAME, version: deps.version };

  return {
    async invoke(server: Server, request: InvokeRequest): Promise<InvokeOutcome> {
      checkInvocation(server, request);
      const timeout = Math.min(
        Math.max(request.timeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS, 1),
        MAX_INVOKE_TIMEOUT_MS,
      );
      let started = performance.now();
      const elapsed = () => Math.round((performance.now() - started) * 100) / 100;

      let session: McpClientSession;
      try {
        session = await openMcpSession(deps.connector, server, clientInfo, {
          timeoutMs: CONNECT_TIMEOUT_MS,
        });
      } catch (err) {
        if (err instanceof DomainError) throw err;
        return errorOutcome(err, elapsed(), true);
      }
      try {
        started = performance.now();
        const result = await session.client.request(
          {
            method: request.method,
            ...(request.params === undefined ? {} : { params: request.params }),
          },
          ResultSchema,
          { timeout },
        );
        return { result, latencyMs: elapsed() };
      } catch (err) {
        return errorOutcome(err, elapsed(), false);
      } finally {
        await session.close();
      }
    },
  };
}

export type Playground = ReturnType<typeof createPlayground>;
