import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";

/**
 * The A7 reference, run as its own process: the least a reverse proxy written in Node does per
 * call, with the same parts as the gateway's proxy (node:http in front, an undici Agent with kept
 * alive connections behind, the body relayed chunk by chunk) and nothing else: no routing, no
 * authentication, no tracing, no access log, no metrics. What the gateway adds over A7 is
 * MCP Host's own work; what A7 adds over A1 is the floor of any Node gateway on this machine.
 */
const upstream = new URL(process.env.UPSTREAM_URL ?? "");
const agent = new Agent();
const FORWARDED_REQUEST = ["accept", "content-type", "mcp-session-id", "mcp-protocol-version"];
const FORWARDED_RESPONSE = ["content-type", "content-length", "cache-control", "mcp-session-id"];

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    try {
      const answer = await request(upstream, {
        dispatcher: agent,
        method: req.method as "GET" | "POST" | "DELETE",
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      const out: Record<string, string | string[]> = {};
      for (const name of FORWARDED_RESPONSE) {
        const value = answer.headers[name];
        if (value !== undefined) out[name] = value;
      }
      res.writeHead(answer.statusCode, out);
      answer.body.on("data", (chunk: Buffer) => {
        if (!res.write(chunk)) answer.body.pause();
      });
      res.on("drain", () => answer.body.resume());
      answer.body.on("end", () => res.end());
      answer.body.on("error", () => res.destroy());
    } catch {
      res.writeHead(502).end();
    }
  });
});

server.listen(0, "127.0.0.1", () => {
  console.log(`node proxy listening on ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
