import type { Arm, Upstream } from "./arm.js";
import type { GatewayHost } from "./gateway-host.js";
import { createServer, remoteServer, withHostLog } from "./mcp-host.js";

/**
 * A2: MCP Host's gateway in front of A1. The shared MCP Host (`gateway-host.ts`, production
 * defaults) has the upstream registered as a `remote` server with `allowPrivateNetwork` (an
 * admin's right; the first account is admin), which the gateway reverse-proxies; the client sends
 * the server's own key as a Bearer, as a deployed client would.
 */
export function gatewayArm(upstream: Upstream, gateway: GatewayHost): Arm {
  return {
    name: "A2",
    label: "MCP Host gateway → A1",
    async start() {
      const host = await gateway.get();
      const { url, headers } = await withHostLog(host, () =>
        createServer(host, remoteServer(upstream.url)),
      );
      // The host outlives the arm: the suite stops it once every user is done.
      return {
        url,
        headers,
        pid: host.child.pid,
        profileDir: gateway.profileDir,
        close: async () => {},
      };
    },
  };
}
