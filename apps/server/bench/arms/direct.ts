import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Arm, Upstream } from "./arm.js";
import { type Child, freePort, startChild } from "./child-process.js";

/** The reference server with every MCP feature, installed as a root devDependency. */
export const EVERYTHING = fileURLToPath(
  new URL(
    "../../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);

/**
 * server-everything in its Streamable HTTP mode (`dist/index.js streamableHttp`, port from `PORT`,
 * endpoint `/mcp`): an Express app with the SDK's `StreamableHTTPServerTransport`, one session per
 * `initialize`, answers as SSE streams. It writes a console.log line per request; that goes to a
 * file like everything else the servers print.
 */
export async function startEverythingServer(
  workDir: string,
  name = "a1-everything",
): Promise<Upstream & { close(): Promise<void>; child: Child }> {
  const port = await freePort();
  const child = await startChild({
    command: process.execPath,
    args: [EVERYTHING, "streamableHttp"],
    env: { PATH: process.env.PATH, PORT: String(port) },
    logFile: join(workDir, `${name}.log`),
    ready: /listening on port/,
  });
  return { url: `http://127.0.0.1:${port}/mcp`, pid: child.pid, child, close: () => child.stop() };
}

/**
 * A1: the client talks to server-everything directly. The server process is shared with the arms
 * in front of it (A2, A3), so all of them reach the very same, equally warmed-up upstream; it is
 * started and stopped by the suite, not by this arm.
 */
export function directArm(upstream: Upstream): Arm {
  return {
    name: "A1",
    label: "direct to server-everything",
    async start() {
      return { url: upstream.url, headers: {}, pid: upstream.pid, close: async () => {} };
    },
  };
}
