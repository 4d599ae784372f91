import type { Arm, Upstream } from "./arm.js";
import { type GatewayHost, serverOnHost } from "./gateway-host.js";
import { remoteServer } from "./mcp-host.js";

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
    start: () => serverOnHost(gateway, remoteServer(upstream.url)),
  };
}
