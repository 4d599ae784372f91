import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema, ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { CallSession, EchoOutcome, SessionClient } from "./latency-client.js";
import { ECHO_MESSAGE, type JsonRpcResponse } from "./mcp-wire.js";

const hrtime = process.hrtime.bigint;

/**
 * The measured-call adapter of A4: each session is a server process spoken to over stdio by the
 * official SDK's `Client` and `StdioClientTransport`, as an MCP host on the same machine would.
 * Its calls go through the same loops, timer and histogram as the HTTP client's (`closedLoop`,
 * `openLoop` in latency-client.ts); only the transport differs. The timing includes what the SDK
 * client does per call (request id, zod validation of the result), as a real host pays it.
 */
export class StdioSessionClient implements SessionClient {
  readonly #open = new Set<StdioSession>();

  constructor(
    private readonly command: string,
    private readonly args: string[],
  ) {}

  /** A new session: starts a server process and initializes it. */
  async openSession(): Promise<StdioSession> {
    const transport = new StdioClientTransport({
      command: this.command,
      args: this.args,
      env: { PATH: process.env.PATH ?? "" },
      stderr: "ignore",
    });
    const client = new Client({ name: "mcphost-bench", version: "1" }, { capabilities: {} });
    await client.connect(transport);
    const session = new StdioSession(client, () => this.#open.delete(session));
    this.#open.add(session);
    return session;
  }

  /** Ends every session still open (their server processes exit). */
  async close(): Promise<void> {
    await Promise.all([...this.#open].map((s) => s.close()));
  }
}

export class StdioSession implements CallSession {
  constructor(
    private readonly client: Client,
    private readonly onClose: () => void,
  ) {}

  async echo(_slot: number): Promise<EchoOutcome> {
    const started = hrtime();
    const result = await this.client.request(
      { method: "tools/call", params: { name: "echo", arguments: { message: ECHO_MESSAGE } } },
      CallToolResultSchema,
    );
    const ns = hrtime() - started;
    // The SDK matched the answer to its request id; the id is not needed further.
    return { ns, response: { jsonrpc: "2.0", id: null, result } };
  }

  async listTools(): Promise<JsonRpcResponse> {
    const result = await this.client.request({ method: "tools/list" }, ListToolsResultSchema);
    return { jsonrpc: "2.0", id: null, result };
  }

  /** Closes stdin and ends the server process (the SDK's transport signals it if it lingers). */
  async close(): Promise<void> {
    this.onClose();
    await this.client.close();
  }
}
