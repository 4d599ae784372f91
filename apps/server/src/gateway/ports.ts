import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Server } from "../domain/servers/server.js";

/**
 * The seams of the MCP gateway. The proxy code (gateway.ts, session-bridge.ts, http-proxy.ts)
 * depends only on these, so credentials, tracing and session storage can change (OAuth, several
 * replicas) without touching it.
 */

/** Who opened an MCP session. A session stays bound to it: another credential cannot use it. */
export interface McpCredential {
  /** Stable per credential: a server key id, an access token id, `public`, or `internal:<why>`. */
  id: string;
  kind: "server-key" | "access-token" | "public" | "internal";
  /** The user behind an access token. */
  userId?: string | undefined;
}

/** Checks the credential an MCP request carries for one server. */
export interface GatewayAuth {
  /**
   * The request's credential when it may use `server`; undefined when it is missing, wrong,
   * revoked, or belongs to someone who may not use the server (the caller answers 401).
   * `authorization` is the raw Authorization header.
   */
  authenticate(
    server: Server,
    authorization: string | undefined,
  ): Promise<McpCredential | undefined>;
}

/** The client an MCP session speaks for, from its `initialize` request. */
export interface ClientInfo {
  name: string;
  version: string;
}

/** What the gateway knows about one open MCP session. Small on purpose: one per client. */
export interface GatewaySession {
  id: string;
  serverId: string;
  credentialId: string;
  /** `streamable` (2025-03-26 and later) or `sse` (the 2024-11-05 HTTP+SSE transport). */
  transport: "streamable" | "sse";
  /** What the session talks to: its own instance, the shared one, or an http/remote server. */
  upstream: "instance" | "shared" | "http";
  /** The session's own instance (stdio servers in session mode). */
  instanceId?: string | undefined;
  client?: ClientInfo | undefined;
  protocolVersion?: string | undefined;
  createdAt: Date;
  lastActiveAt: Date;
}

/**
 * Where session records live. In memory on one replica; a later issue can back it with
 * PostgreSQL or Redis for several replicas (with sticky routing for the live connections).
 */
export interface SessionStore {
  get(id: string): GatewaySession | undefined;
  put(session: GatewaySession): void;
  touch(id: string, now: Date): void;
  delete(id: string): void;
  listByServer(serverId: string): GatewaySession[];
  countByServer(serverId: string): number;
  /** Sessions idle since before `cutoff`. */
  idleSince(cutoff: Date): GatewaySession[];
  all(): GatewaySession[];
}

/** Identifies the session a message belongs to, for tracing. */
export interface TraceContext {
  serverId: string;
  /** Null for the playground's one-off connections and discovery. */
  sessionId: string | null;
  client?: ClientInfo | undefined;
}

/**
 * Sees every JSON-RPC message that crosses the gateway, in order, per session. Implementations
 * must be cheap and never throw: they run on the hot path (see traces/).
 */
export interface GatewayObserver {
  /** A message from the client towards the server (requests, notifications, responses). */
  fromClient(ctx: TraceContext, message: JSONRPCMessage): void;
  /** A message from the server towards the client (responses, notifications, requests). */
  fromServer(ctx: TraceContext, message: JSONRPCMessage): void;
  /** The session ended: forget what is pending for it. */
  sessionEnded(ctx: TraceContext): void;
}

/** How the control plane's own MCP connection is made. */
export interface ConnectOptions {
  /**
   * Nobody waits on it (capability discovery): a stdio server in session mode is reached through
   * its main instance, which serves no client, and the warm spare is left to the next client.
   */
  background?: boolean;
}

/** Opens MCP connections to a server's upstream from inside the control plane. */
export interface UpstreamConnector {
  /**
   * A fresh MCP connection to the server (not yet started: pass it to an SDK `Client.connect`).
   * stdio servers in session mode get their own instance, ended by `close()`; shared-mode servers
   * a virtual connection to the shared instance; http and remote servers a Streamable HTTP client.
   * Messages through it are observed like a client session's (`ctx`).
   */
  open(server: Server, ctx: TraceContext, options?: ConnectOptions): Promise<Transport>;
}
