import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Arm, Upstream } from "./arm.js";
import { type Child, startScriptServer } from "./child-process.js";
import { type GatewayHost, serverOnHost } from "./gateway-host.js";
import { remoteServer } from "./mcp-host.js";

const SERVER = fileURLToPath(new URL("./large-result-server.ts", import.meta.url));

/** Starts `large-result-server.ts` (an SDK server whose tool returns large texts) on a free port. */
export async function startLargeResultServer(
  workDir: string,
  name = "large-result-server",
): Promise<Upstream & { close(): Promise<void>; child: Child }> {
  const { child, port } = await startScriptServer({
    script: SERVER,
    what: "large-result",
    logFile: join(workDir, `${name}.log`),
  });
  return { url: `http://127.0.0.1:${port}/mcp`, pid: child.pid, child, close: () => child.stop() };
}

/** A1's setup for large results: the client talks to the large-result server directly. */
export function largeDirectArm(upstream: Upstream): Arm {
  return {
    name: "A1",
    label: "direct to the large-result server",
    async start() {
      return { url: upstream.url, headers: {}, pid: upstream.pid, close: async () => {} };
    },
  };
}

/**
 * A2's setup for large results: the shared gateway host with the large-result server registered
 * as a `remote` server, as `gateway.ts` does for server-everything. `pid` is the gateway process,
 * whose memory the workload samples. Closing removes the server; the host is the suite's.
 */
export function largeGatewayArm(upstream: Upstream, gateway: GatewayHost): Arm {
  return {
    name: "A2",
    label: "MCP Host gateway → the large-result server",
    start: () => serverOnHost(gateway, remoteServer(upstream.url, { name: "bench-large-result" })),
  };
}
