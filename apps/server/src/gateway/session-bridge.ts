import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../lib/logger.js";
import { isNotification, isRequest, isResponse, type JsonRpcParams } from "./jsonrpc.js";
import type { ClientInfo, GatewayObserver, TraceContext } from "./ports.js";

export interface BridgeOptions {
  /** The client's side: a Streamable HTTP or HTTP+SSE server transport. */
  front: Transport;
  /** The server's side: its stdio, the shared connection, or a Streamable HTTP client. */
  upstream: Transport;
  ctx: TraceContext;
  observer: GatewayObserver;
  logger: Logger;
  /** Every client message: keeps the session from idling out. */
  onActivity(): void;
  /** The server answered `initialize`. */
  onInitialized(client: ClientInfo | undefined, protocolVersion: string | undefined): void;
  /**
   * Either side closed: the session is over. Called at once, before both sides are closed, so
   * that no new message is accepted for a session that is going away.
   */
  onEnd(): void;
}

/**
 * Pumps messages between a client session and its upstream, untouched, reporting each to the
 * observer. The one thing it decides is which HTTP stream carries a server message: responses go
 * with their request; progress with the request that asked for it; other server requests and
 * notifications with the only request in flight when there is one (the server is serving it, as
 * it would over a direct connection), else on the session's standalone GET stream.
 */
export function bridgeSession(options: BridgeOptions): { end(): Promise<void> } {
  const { front, upstream, ctx, observer, logger } = options;
  const inFlight = new Set<RequestId>();
  const progressOwners = new Map<unknown, RequestId>();
  let initializeId: RequestId | undefined;
  let ended = false;

  const sendToClient = async (message: JSONRPCMessage, related?: RequestId) => {
    try {
      await front.send(message, related === undefined ? undefined : { relatedRequestId: related });
    } catch (err) {
      // The request's stream is gone (answered meanwhile): the standalone stream still works.
      if (related === undefined || isResponse(message)) {
        logger.debug({ err }, "could not deliver a message to the client");
        return;
      }
      await front.send(message).catch(() => {});
    }
  };

  front.onmessage = (message) => {
    options.onActivity();
    if (isRequest(message)) {
      inFlight.add(message.id);
      const params = message.params as JsonRpcParams | undefined;
      const token = params?._meta?.progressToken;
      if (token !== undefined) progressOwners.set(token, message.id);
      if (message.method === "initialize") {
        initializeId = message.id;
        const info = params?.clientInfo as Partial<ClientInfo> | undefined;
        if (info?.name)
          ctx.client = { name: String(info.name), version: String(info.version ?? "") };
      }
    } else if (isNotification(message) && message.method === "notifications/cancelled") {
      inFlight.delete((message.params as { requestId?: RequestId } | undefined)?.requestId ?? "");
    }
    observer.fromClient(ctx, message);
    upstream.send(message).catch((err: Error) => {
      if (!isRequest(message)) return;
      inFlight.delete(message.id);
      const answer: JSONRPCMessage = {
        jsonrpc: "2.0",
        id: message.id,
        error: { code: -32603, message: `The server is unreachable: ${err.message}` },
      };
      observer.fromServer(ctx, answer);
      void sendToClient(answer);
    });
  };

  upstream.onmessage = (message) => {
    observer.fromServer(ctx, message);
    if (isResponse(message)) {
      if (message.id !== undefined) inFlight.delete(message.id);
      for (const [token, owner] of progressOwners) {
        if (owner === message.id) progressOwners.delete(token);
      }
      if (message.id !== undefined && message.id === initializeId && "result" in message) {
        const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
        options.onInitialized(ctx.client, typeof version === "string" ? version : undefined);
      }
      void sendToClient(message);
      return;
    }
    let related: RequestId | undefined;
    if (isNotification(message) && message.method === "notifications/progress") {
      related = progressOwners.get((message.params as JsonRpcParams | undefined)?.progressToken);
    } else if (inFlight.size === 1) {
      related = inFlight.values().next().value;
    }
    void sendToClient(message, related);
  };

  const end = async () => {
    if (ended) return;
    ended = true;
    options.onEnd();
    observer.sessionEnded(ctx);
    await Promise.allSettled([upstream.close(), front.close()]);
  };
  front.onclose = () => void end();
  upstream.onclose = () => void end();
  front.onerror = (err) => logger.debug({ err }, "client transport error");
  upstream.onerror = (err) => logger.debug({ err }, "upstream transport error");
  return { end };
}
