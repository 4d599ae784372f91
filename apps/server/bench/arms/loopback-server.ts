import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The A0 floor, run as its own process: a bare `node:http` server that reads the JSON-RPC request
 * and answers a canned result with the request's id, in plain JSON. It does what any HTTP server
 * in Node must do (parse the request, read the body, parse JSON, write a response) and nothing an
 * MCP server adds, so A1 - A0 is the cost of the SDK and the tool, and A0 the cost of HTTP itself.
 */
const PROTOCOL = "2025-11-25";
const ECHO_RESULT = { content: [{ type: "text", text: "Echo: hello" }] };

const server = createServer((req, res) => {
  if (req.method === "DELETE") {
    res.writeHead(200).end();
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: number | string;
      method: string;
    };
    if (message.id === undefined) {
      res.writeHead(202).end(); // a notification
      return;
    }
    const initialize = message.method === "initialize";
    const result = initialize
      ? {
          protocolVersion: PROTOCOL,
          capabilities: { tools: {} },
          serverInfo: { name: "loopback", version: "1" },
        }
      : ECHO_RESULT;
    res.writeHead(200, {
      "content-type": "application/json",
      ...(initialize ? { "mcp-session-id": randomUUID() } : {}),
    });
    res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(`loopback listening on ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
