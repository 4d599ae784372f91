import type { Readable, Writable } from "node:stream";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * An MCP transport over a stdio server's streams that someone else started (a runtime instance):
 * newline-delimited JSON-RPC, framed by the SDK's own ReadBuffer. The SDK's StdioClientTransport
 * spawns its process itself, which the sandbox and containers rule out.
 */
export class StreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();
  private closed = false;
  /** The id of a request someone else sent before this transport took over, whose answer is theirs. */
  private notOurs: string | undefined;

  constructor(
    private readonly stdin: Writable,
    private readonly stdout: Readable,
    /** Runs once when the transport closes (stops the instance behind it, for instance). */
    private readonly onClosed?: () => Promise<void> | void,
  ) {}

  async start(): Promise<void> {
    this.stdout.on("data", (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (err) {
          // A line that is not JSON-RPC (a server printing to stdout): report it and go on.
          this.onerror?.(err as Error);
          continue;
        }
        if (message === null) break;
        if (this.notOurs !== undefined && isAnswerTo(message, this.notOurs)) {
          this.notOurs = undefined;
          continue;
        }
        this.onmessage?.(message);
      }
    });
    this.stdout.once("end", () => void this.close());
    this.stdout.once("close", () => void this.close());
    this.stdout.on("error", (err) => this.onerror?.(err));
    this.stdin.on("error", (err) => this.onerror?.(err));
    // A ping before the session (`stdio-ping.ts`) leaves the stream paused, which a new "data"
    // listener does not undo.
    this.stdout.resume();
  }

  /** Drops the answer to `id`, a request sent before this transport took the streams over. */
  dropAnswerTo(id: string): this {
    this.notOurs = id;
    return this;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error("The server's connection is closed");
    const line = serializeMessage(message);
    if (!this.stdin.write(line)) await new Promise<void>((r) => this.stdin.once("drain", r));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer.clear();
    this.stdin.end();
    try {
      await this.onClosed?.();
    } finally {
      this.onclose?.();
    }
  }
}

const isAnswerTo = (message: JSONRPCMessage, id: string) =>
  "id" in message && message.id === id && !("method" in message);
