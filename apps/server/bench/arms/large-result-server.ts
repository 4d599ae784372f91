import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { largeText } from "./large-text.js";

/**
 * The upstream of the large-result workload, run as its own process: an MCP server on the
 * official SDK (`McpServer` + `StreamableHTTPServerTransport`, one session per `initialize`,
 * answers as SSE streams, as server-everything does) with one tool, `large_result`, that returns
 * a text of `bytes` characters (1 MiB unless asked otherwise), and `echo`, as server-everything's.
 *
 * server-everything has no tool that returns a result this large, and its event store keeps
 * every answer of a session in memory, which 1 MiB answers would turn into a leak; so this
 * server keeps no event store. Each size's text is built once and reused, so the server's cost
 * per call is the SDK's (serialising and writing the answer) and not making the text.
 */
const DEFAULT_BYTES = 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;

const texts = new Map<number, string>();
const textOf = (bytes: number) => {
  let text = texts.get(bytes);
  if (text === undefined) {
    text = largeText(bytes);
    texts.set(bytes, text);
  }
  return text;
};

function newSession() {
  const mcp = new McpServer({ name: "bench-large-result", version: "1" });
  mcp.registerTool(
    "large_result",
    {
      description: "Returns a text of the requested size, in bytes (ASCII: one byte a character)",
      inputSchema: { bytes: z.number().int().min(1).max(MAX_BYTES).default(DEFAULT_BYTES) },
    },
    async ({ bytes }) => ({ content: [{ type: "text", text: textOf(bytes) }] }),
  );
  // server-everything's echo, for the soak: millions of calls on one session, which
  // server-everything's own event store would keep every answer of (gigabytes within minutes).
  mcp.registerTool(
    "echo",
    { description: "Echoes back the input", inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: "text", text: `Echo: ${message}` }] }),
  );
  return mcp;
}

const sessions = new Map<string, StreamableHTTPServerTransport>();

const server = createServer(async (req, res) => {
  try {
    const id = req.headers["mcp-session-id"];
    const known = typeof id === "string" ? sessions.get(id) : undefined;
    if (known) {
      await known.handleRequest(req, res);
      return;
    }
    if (id !== undefined || req.method !== "POST") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: null,
          error: { code: -32001, message: "no such session" },
        }),
      );
      return;
    }
    // No session id: an `initialize` (the transport refuses anything else).
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, transport);
      },
      onsessionclosed: (sid) => {
        sessions.delete(sid);
      },
    });
    await newSession().connect(transport);
    await transport.handleRequest(req, res);
  } catch (err) {
    console.error(err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
});

server.listen(0, "127.0.0.1", () => {
  console.log(`large-result listening on ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
