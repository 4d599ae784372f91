import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Server } from "../domain/servers/server.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { GatewayError } from "./gateway-error.js";
import { createHttpProxy, type ProxyTarget, type UpstreamHead } from "./http-proxy.js";
import { containsInitialize } from "./jsonrpc.js";
import { MemoryEventStore } from "./memory-event-store.js";
import { ObservedTransport } from "./observed-transport.js";
import type {
  ConnectOptions,
  GatewayObserver,
  GatewaySession,
  McpCredential,
  SessionStore,
  TraceContext,
  UpstreamConnector,
} from "./ports.js";
import { readJsonBody } from "./request-body.js";
import { bridgeSession } from "./session-bridge.js";
import { type OpenedUpstream, speaksHttp, type Upstreams } from "./upstreams.js";
import { writeWebResponse } from "./web-response.js";

/** A session whose client connection lives in this process. */
interface LiveSession {
  front: WebStandardStreamableHTTPServerTransport | SSEServerTransport;
  end(): Promise<void>;
}

/** Node's request and response, for answers written without a web Response in between. */
export interface NodeExchange {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

export interface GatewayDeps {
  upstreams: Upstreams;
  sessions: SessionStore;
  observer: GatewayObserver;
  clock: Clock;
  logger: Logger;
  idleMs: number;
}

const jsonRpcError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });

const sessionNotFound = () =>
  jsonRpcError(404, -32001, "Session not found: it ended or expired; initialize a new one");

/**
 * The MCP gateway: one endpoint per server that MCP clients reach with a key. Streamable HTTP
 * (2025-03-26 and later) and the 2024-11-05 HTTP+SSE transport are served with the SDK's own
 * server transports in front of each session, and a bridge to the session's upstream behind.
 * Servers that speak Streamable HTTP themselves are reverse-proxied instead.
 */
export function createGateway(deps: GatewayDeps) {
  const { sessions, upstreams, observer, clock, logger } = deps;
  const live = new Map<string, LiveSession>();
  /** Reverse-proxied sessions' upstreams, to end them there when the gateway ends them. */
  const proxiedTargets = new Map<string, ProxyTarget>();
  const httpProxy = createHttpProxy();

  function checkCapacity(server: Server) {
    if (sessions.countByServer(server.id) >= server.maxSessions) {
      throw new GatewayError(
        "SERVICE_UNAVAILABLE",
        `This server already has ${server.maxSessions} open sessions, its limit: close one (DELETE with its Mcp-Session-Id) or raise maxSessions`,
        { "retry-after": "10" },
      );
    }
  }

  function sessionFor(server: Server, credential: McpCredential, id: string) {
    const session = sessions.get(id);
    // Someone else's session id looks exactly like an unknown one.
    if (!session || session.serverId !== server.id || session.credentialId !== credential.id)
      return undefined;
    sessions.touch(id, clock.now());
    return session;
  }

  /** Starts a session: registers it and bridges its front transport to a new upstream. */
  function startSession(
    id: string,
    server: Server,
    credential: McpCredential,
    transport: GatewaySession["transport"],
    front: LiveSession["front"],
    upstream: OpenedUpstream,
  ) {
    const now = clock.now();
    const session: GatewaySession = {
      id,
      serverId: server.id,
      credentialId: credential.id,
      transport,
      upstream: upstream.kind,
      instanceId: upstream.instanceId,
      createdAt: now,
      lastActiveAt: now,
    };
    sessions.put(session);
    const ctx: TraceContext = { serverId: server.id, sessionId: id };
    const bridge = bridgeSession({
      front,
      upstream: upstream.transport,
      ctx,
      observer,
      logger: logger.child({ serverId: server.id, sessionId: id }),
      onActivity: () => sessions.touch(id, clock.now()),
      onInitialized(client, protocolVersion) {
        session.client = client;
        session.protocolVersion = protocolVersion;
      },
      onEnd() {
        sessions.delete(id);
        live.delete(id);
      },
    });
    live.set(id, { front, end: bridge.end });
    return bridge;
  }

  /**
   * A session transport's answer. Event streams are written to Node's response here rather than
   * handed back to Hono, whose adapter holds a stream that has not ended for a timer tick
   * (web-response.ts); the rest (JSON errors, 202s) go back as they are.
   */
  async function answer(response: Response, node: NodeExchange): Promise<Response | undefined> {
    const type = response.headers.get("content-type") ?? "";
    if (!response.body || !type.includes("text/event-stream")) return response;
    await writeWebResponse(response, node.outgoing);
    return undefined;
  }

  /**
   * Reverse-proxies to a server that speaks Streamable HTTP, writing its answer to Node's
   * response directly (see http-proxy.ts for why). Throws a GatewayError, having written
   * nothing, when the request is refused or the server cannot be reached.
   */
  async function proxy(
    server: Server,
    credential: McpCredential,
    node: NodeExchange,
    sid: string | null,
  ): Promise<void> {
    const { incoming, outgoing } = node;
    const method = incoming.method ?? "GET";
    const { raw, body } =
      method === "POST" ? await readJsonBody(incoming) : { raw: undefined, body: undefined };
    if (!sid && method === "POST" && containsInitialize(body)) checkCapacity(server);
    const target = await upstreams.httpTarget(server);
    const observe = ({ sessionId }: Pick<TraceContext, "sessionId">) => {
      const ctx: TraceContext = {
        serverId: server.id,
        sessionId,
        client: sessionId ? sessions.get(sessionId)?.client : undefined,
      };
      return {
        fromClient: (m: JSONRPCMessage) => observer.fromClient(ctx, m),
        fromServer: (m: JSONRPCMessage) => observer.fromServer(ctx, m),
      };
    };
    // Runs before the client sees the answer, so its next request finds the session recorded.
    const onHead = ({ status, sessionId: issued }: UpstreamHead) => {
      const ok = status >= 200 && status < 300;
      // The server's own session ids pass through; the gateway remembers whose they are.
      if (!sid && issued && ok && !sessions.get(issued)) {
        const now = clock.now();
        const init = (Array.isArray(body) ? body : [body]).find(
          (m) => (m as { method?: string })?.method === "initialize",
        ) as { params?: { clientInfo?: { name?: string; version?: string } } } | undefined;
        const info = init?.params?.clientInfo;
        sessions.put({
          id: issued,
          serverId: server.id,
          credentialId: credential.id,
          transport: "streamable",
          upstream: "http",
          client: info?.name ? { name: info.name, version: info.version ?? "" } : undefined,
          createdAt: now,
          lastActiveAt: now,
        });
        proxiedTargets.set(issued, target);
      }
      if (sid && method === "DELETE" && ok) {
        sessions.delete(sid);
        proxiedTargets.delete(sid);
      }
    };
    try {
      await httpProxy.forward(
        { method, headers: incoming.headers, rawBody: raw, body },
        outgoing,
        target,
        observe,
        onHead,
      );
    } catch (err) {
      throw new GatewayError(
        "SERVICE_UNAVAILABLE",
        `The server did not answer: ${(err as Error).message}`,
      );
    }
  }

  return {
    sessions,

    /**
     * Streamable HTTP: POST, GET and DELETE on the server's endpoint. Undefined when the answer
     * was written to `node.outgoing` (a reverse-proxied server's, and every event stream); then
     * it resolves once that answer has ended or the client has gone.
     */
    async handleStreamable(
      server: Server,
      credential: McpCredential,
      request: Request,
      node: NodeExchange,
    ): Promise<Response | undefined> {
      const sid = request.headers.get("mcp-session-id");
      if (sid && !sessionFor(server, credential, sid)) return sessionNotFound();
      if (speaksHttp(server)) {
        await proxy(server, credential, node, sid);
        return undefined;
      }
      if (sid) {
        const session = live.get(sid);
        if (!session || !(session.front instanceof WebStandardStreamableHTTPServerTransport))
          return sessionNotFound();
        const parsedBody =
          request.method === "POST" ? (await readJsonBody(node.incoming)).body : undefined;
        return answer(await session.front.handleRequest(request, { parsedBody }), node);
      }
      if (request.method !== "POST") {
        return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
      }
      const { body } = await readJsonBody(node.incoming);
      if (!containsInitialize(body)) {
        return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
      }
      checkCapacity(server);
      const upstream = await upstreams.open(server);
      const id = randomUUID();
      const front = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => id,
        eventStore: new MemoryEventStore(),
      });
      const bridge = startSession(id, server, credential, "streamable", front, upstream);
      await upstream.transport.start();
      await front.start();
      const response = await front.handleRequest(request, { parsedBody: body });
      if (!response.ok) void bridge.end();
      return answer(response, node);
    },

    /**
     * HTTP+SSE (2024-11-05): the GET that opens the event stream. The SDK's transport writes the
     * stream to Node's response itself.
     */
    async openSse(
      server: Server,
      credential: McpCredential,
      res: ServerResponse,
      endpoint: string,
    ): Promise<void> {
      checkCapacity(server);
      const upstream = await upstreams.open(server);
      const front = new SSEServerTransport(endpoint, res);
      startSession(front.sessionId, server, credential, "sse", front, upstream);
      await upstream.transport.start();
      await front.start();
    },

    /**
     * HTTP+SSE: a message POSTed for the session (its answer comes on the event stream); the
     * SDK's transport answers 202 or 400 on `res`. False when the session is not this
     * credential's open session on this server.
     */
    async postSse(
      server: Server,
      credential: McpCredential,
      sessionId: string,
      req: IncomingMessage,
      res: ServerResponse,
      body: unknown,
    ): Promise<boolean> {
      const session = sessionFor(server, credential, sessionId) && live.get(sessionId);
      if (!session || !(session.front instanceof SSEServerTransport)) return false;
      await session.front.handlePostMessage(req, res, body);
      return true;
    },

    /** Ends a session (a user closing it from the API, or the idle reaper). */
    async endSession(id: string): Promise<void> {
      await live.get(id)?.end();
      sessions.delete(id);
      const target = proxiedTargets.get(id);
      proxiedTargets.delete(id);
      // Not awaited: a slow upstream must not hold up the reaper or a server's stop.
      if (target) void httpProxy.endSession(target, id);
    },

    /** Ends sessions idle longer than the setting; their upstream instances stop. */
    async reapIdle(): Promise<number> {
      const idle = sessions.idleSince(new Date(clock.now().getTime() - deps.idleMs));
      for (const session of idle) {
        logger.info(
          { serverId: session.serverId, sessionId: session.id },
          "ending idle MCP session",
        );
        await this.endSession(session.id);
      }
      return idle.length;
    },

    /** Ends every session of a server (it stopped or was deleted). */
    async endServerSessions(serverId: string): Promise<void> {
      for (const session of sessions.listByServer(serverId)) await this.endSession(session.id);
      await upstreams.pool.discard(serverId);
    },

    /** MCP connections from inside the control plane (discovery, the playground). */
    connector: {
      async open(server: Server, ctx: TraceContext, options?: ConnectOptions): Promise<Transport> {
        const upstream = await upstreams.open(server, options);
        return new ObservedTransport(upstream.transport, ctx, observer);
      },
    } satisfies UpstreamConnector,

    async stop(): Promise<void> {
      await Promise.allSettled([...live.values()].map((s) => s.end()));
      await Promise.all([upstreams.stop(), httpProxy.close()]);
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
