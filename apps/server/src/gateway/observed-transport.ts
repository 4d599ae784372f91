import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { GatewayObserver, TraceContext } from "./ports.js";

/**
 * Wraps an upstream connection opened from inside the control plane (discovery, the playground)
 * so its traffic is traced like a client session's.
 */
export class ObservedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(
    private readonly inner: Transport,
    private readonly ctx: TraceContext,
    private readonly observer: GatewayObserver,
  ) {
    inner.onmessage = (message) => {
      observer.fromServer(ctx, message);
      this.onmessage?.(message);
    };
    inner.onclose = () => {
      observer.sessionEnded(ctx);
      this.onclose?.();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId() {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string) {
    this.inner.setProtocolVersion?.(version);
  }

  start() {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions) {
    this.observer.fromClient(this.ctx, message);
    return this.inner.send(message, options);
  }

  close() {
    return this.inner.close();
  }
}
