import { fileURLToPath } from "node:url";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server as McpServer } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { TraceContext, UpstreamConnector } from "../../src/gateway/ports.js";

/** The reference server with every MCP feature, installed as a devDependency. */
export const EVERYTHING_SERVER = fileURLToPath(
  new URL(
    "../../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);

/**
 * An `UpstreamConnector` as the gateway's would behave for a stdio server in session mode: every
 * `open` starts a real server-everything process, ended when its transport closes.
 */
export function everythingConnector() {
  const opened: TraceContext[] = [];
  /** The process id of each server started, to check that closing ends it. */
  const pids: number[] = [];
  const connector: UpstreamConnector = {
    async open(_server, ctx) {
      opened.push(ctx);
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [EVERYTHING_SERVER, "stdio"],
        stderr: "ignore",
      });
      const start = transport.start.bind(transport);
      transport.start = async () => {
        await start();
        if (transport.pid) pids.push(transport.pid);
      };
      return transport;
    },
  };
  return { connector, opened, pids };
}

/**
 * A connector to an in-process MCP server that offers only tools, `pages` of them, one page per
 * `tools/list` (so clients must follow `nextCursor`). `setPages` changes what the next
 * connection lists.
 */
export function pagedToolsConnector(initial: string[][]) {
  let pages = initial;
  const opened: TraceContext[] = [];
  const connector: UpstreamConnector = {
    async open(_server, ctx) {
      opened.push(ctx);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = new McpServer(
        { name: "paged", version: "0.3.0" },
        { capabilities: { tools: {} }, instructions: "Tools come in pages." },
      );
      const served = pages;
      server.setRequestHandler(ListToolsRequestSchema, (request) => {
        const index = Number(request.params?.cursor ?? 0);
        return {
          tools: (served[index] ?? []).map((name) => ({
            name,
            inputSchema: { type: "object" as const },
          })),
          ...(index + 1 < served.length ? { nextCursor: String(index + 1) } : {}),
        };
      });
      await server.connect(serverSide);
      return clientSide;
    },
  };
  return {
    connector,
    opened,
    setPages(next: string[][]) {
      pages = next;
    },
  };
}
