import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Arm, Upstream } from "./arm.js";
import { startScriptServer } from "./child-process.js";

const SERVER = fileURLToPath(new URL("./node-proxy-server.ts", import.meta.url));

/**
 * A7: a bare reverse proxy in Node (node:http + undici, `node-proxy-server.ts`) in front of A1.
 * Not one of issue 6's arms: the reference that tells how much of the gateway's overhead any
 * Node proxy pays on this machine, and how much is MCP Host's own.
 */
export function nodeProxyArm(upstream: Upstream, workDir: string): Arm {
  return {
    name: "A7",
    label: "bare Node proxy (node:http + undici) → A1",
    async start() {
      const { child, port } = await startScriptServer({
        script: SERVER,
        what: "node proxy",
        env: { UPSTREAM_URL: upstream.url },
        logFile: join(workDir, "a7-node-proxy.log"),
      });
      return {
        url: `http://127.0.0.1:${port}${new URL(upstream.url).pathname}`,
        headers: {},
        pid: child.pid,
        close: () => child.stop(),
      };
    },
  };
}
