import { randomUUID } from "node:crypto";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * The server side of the 2024-11-05 HTTP+SSE transport over web streams: `stream` is the body of
 * the GET's event stream (first an `endpoint` event naming where to POST, then one `message` event
 * per JSON-RPC message), and each POST hands its message to `receive`.
 *
 * The SDK's SSEServerTransport writes to a Node ServerResponse itself, behind the framework's
 * back; the framework then answers the same request again (our middleware adds a header after
 * the handler) and ends the stream. A web stream returned as the response body has no such fight.
 */
export class LegacySseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly sessionId = randomUUID();
  /** The event stream: the GET's response body. Cancelled when the client goes away. */
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly encoder = new TextEncoder();
  private closed = false;

  /** `endpoint`: the path clients POST their messages to (the session id is added). */
  constructor(private readonly endpoint: string) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => this.close(),
    });
  }

  async start(): Promise<void> {
    this.write("endpoint", `${this.endpoint}?sessionId=${encodeURIComponent(this.sessionId)}`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error("The event stream is closed");
    this.write("message", JSON.stringify(message));
  }

  /** A message the client POSTed. False when it is not a JSON-RPC message. */
  receive(body: unknown): boolean {
    const parsed = JSONRPCMessageSchema.safeParse(body);
    if (!parsed.success) {
      this.onerror?.(new Error(`Invalid JSON-RPC message: ${parsed.error.message}`));
      return false;
    }
    this.onmessage?.(parsed.data);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.controller.close();
    } catch {
      // Already cancelled by the client.
    }
    this.onclose?.();
  }

  private write(event: string, data: string): void {
    this.controller.enqueue(this.encoder.encode(`event: ${event}\ndata: ${data}\n\n`));
  }
}
