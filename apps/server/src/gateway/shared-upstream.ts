import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { isNotification, isRequest, isResponse, type JsonRpcParams } from "./jsonrpc.js";

/**
 * One upstream connection shared by many client sessions (a stdio server in `shared` mode).
 *
 * Every client numbers its requests from 0, so ids are rewritten on the way up (one counter for
 * the upstream) and restored on the way down; progress tokens likewise, so progress reaches only
 * the client that asked. Requests the server makes of a client (sampling, elicitation, roots)
 * go to the client whose request is in flight (the server is serving it), else to the most
 * recently active client. Notifications that concern everyone (logging, list_changed) go to
 * every client; resource updates to the clients subscribed to that resource.
 */
export class SharedUpstream {
  private readonly connections = new Set<SharedConnection>();
  /** Upstream request id -> the client connection and the id the client used. */
  private readonly pending = new Map<number, { conn: SharedConnection; id: RequestId }>();
  /** Rewritten progress token -> the client connection and its own token. */
  private readonly progress = new Map<string, { conn: SharedConnection; token: unknown }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly upstream: Transport,
    /** Told once the upstream connection has closed (the instance ended, or `close()`). */
    private readonly onClosed?: () => void,
  ) {
    upstream.onmessage = (message) => this.fromServer(message);
    upstream.onclose = () => this.shutDown();
    upstream.onerror = () => {};
  }

  async start(): Promise<void> {
    await this.upstream.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A virtual connection for one client session. */
  connect(): Transport {
    if (this.closed) throw new Error("The shared server connection is closed");
    const conn = new SharedConnection(this);
    this.connections.add(conn);
    return conn;
  }

  async close(): Promise<void> {
    await this.upstream.close();
  }

  /** @internal from a client connection */
  async sendFrom(conn: SharedConnection, message: JSONRPCMessage): Promise<void> {
    conn.lastActive = Date.now();
    if (isRequest(message)) {
      const id = this.nextId++;
      this.pending.set(id, { conn, id: message.id });
      conn.inFlight.add(id);
      const params = this.rewriteProgressToken(conn, id, message.params);
      if (message.method === "resources/subscribe") conn.subscriptions.add(String(params?.uri));
      if (message.method === "resources/unsubscribe")
        conn.subscriptions.delete(String(params?.uri));
      return this.upstream.send({ ...message, id, ...(params ? { params } : {}) });
    }
    if (isResponse(message)) {
      // An answer to a request the server made of this client.
      const upstreamId = message.id === undefined ? undefined : conn.serverRequests.get(message.id);
      if (upstreamId === undefined || message.id === undefined) return;
      conn.serverRequests.delete(message.id);
      return this.upstream.send({ ...message, id: upstreamId } as JSONRPCMessage);
    }
    if (isNotification(message) && message.method === "notifications/cancelled") {
      const theirs = message.params?.requestId;
      for (const [id, origin] of this.pending) {
        if (origin.conn === conn && origin.id === theirs) {
          return this.upstream.send({ ...message, params: { ...message.params, requestId: id } });
        }
      }
      return;
    }
    return this.upstream.send(message);
  }

  /** @internal a client connection closed: cancel what it still waits for. */
  release(conn: SharedConnection): void {
    this.connections.delete(conn);
    for (const [id, origin] of this.pending) {
      if (origin.conn !== conn) continue;
      this.pending.delete(id);
      void this.upstream
        .send({
          jsonrpc: "2.0",
          method: "notifications/cancelled",
          params: { requestId: id, reason: "client disconnected" },
        })
        .catch(() => {});
    }
    for (const [token, origin] of this.progress)
      if (origin.conn === conn) this.progress.delete(token);
  }

  private rewriteProgressToken(
    conn: SharedConnection,
    id: number,
    params: JsonRpcParams | undefined,
  ): JsonRpcParams | undefined {
    const meta = params?._meta as Record<string, unknown> | undefined;
    if (meta?.progressToken === undefined) return params;
    const token = `mcphost-${id}`;
    this.progress.set(token, { conn, token: meta.progressToken });
    return { ...params, _meta: { ...meta, progressToken: token } };
  }

  private fromServer(message: JSONRPCMessage): void {
    if (isResponse(message)) {
      const id = message.id as number;
      const origin = this.pending.get(id);
      if (!origin) return;
      this.pending.delete(id);
      origin.conn.inFlight.delete(id);
      this.progress.delete(`mcphost-${id}`);
      origin.conn.deliver({ ...message, id: origin.id } as JSONRPCMessage);
      return;
    }
    if (isRequest(message)) {
      const conn = this.pickClientFor();
      if (!conn) {
        void this.upstream
          .send({
            jsonrpc: "2.0",
            id: message.id,
            error: { code: -32603, message: "No client is connected to answer this request" },
          })
          .catch(() => {});
        return;
      }
      const id = `mcphost-s${conn.nextServerRequestId++}`;
      conn.serverRequests.set(id, message.id);
      conn.deliver({ ...message, id });
      return;
    }
    if (!isNotification(message)) return;
    const params = message.params;
    if (message.method === "notifications/progress") {
      const origin = this.progress.get(String(params?.progressToken));
      if (origin)
        origin.conn.deliver({ ...message, params: { ...params, progressToken: origin.token } });
      return;
    }
    if (message.method === "notifications/cancelled") {
      // The server gave up on a request it made of a client.
      for (const conn of this.connections) {
        for (const [theirs, upstreamId] of conn.serverRequests) {
          if (upstreamId !== params?.requestId) continue;
          conn.serverRequests.delete(theirs);
          conn.deliver({ ...message, params: { ...params, requestId: theirs } });
          return;
        }
      }
      return;
    }
    if (message.method === "notifications/resources/updated") {
      for (const conn of this.connections)
        if (conn.subscriptions.has(String(params?.uri))) conn.deliver(message);
      return;
    }
    for (const conn of this.connections) conn.deliver(message);
  }

  private pickClientFor(): SharedConnection | undefined {
    let best: SharedConnection | undefined;
    for (const conn of this.connections) {
      const busy = conn.inFlight.size > 0;
      const bestBusy = (best?.inFlight.size ?? 0) > 0;
      if (!best || (busy && !bestBusy) || (busy === bestBusy && conn.lastActive > best.lastActive))
        best = conn;
    }
    return best;
  }

  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed?.();
    for (const conn of [...this.connections]) void conn.close();
  }
}

/** One client session's view of a SharedUpstream. */
class SharedConnection implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly inFlight = new Set<number>();
  readonly subscriptions = new Set<string>();
  /** Id this client sees for a server request -> the server's id. */
  readonly serverRequests = new Map<RequestId, RequestId>();
  nextServerRequestId = 1;
  lastActive = Date.now();
  private closed = false;

  constructor(private readonly shared: SharedUpstream) {}

  async start(): Promise<void> {}

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The connection is closed"));
    return this.shared.sendFrom(this, message);
  }

  deliver(message: JSONRPCMessage): void {
    if (!this.closed) this.onmessage?.(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shared.release(this);
    this.onclose?.();
  }
}
