import { createRequire } from "node:module";
import { type Arm, ArmSkipped } from "./arm.js";
import { type GatewayHost, serverOnHost } from "./gateway-host.js";

const EVERYTHING_PACKAGE = "@modelcontextprotocol/server-everything";

/** The exact version installed as a devDependency, so the gateway installs it from the npm cache. */
function everythingVersion(): string {
  const require = createRequire(import.meta.url);
  return (require(`${EVERYTHING_PACKAGE}/package.json`) as { version: string }).version;
}

/**
 * server-everything as an npm stdio server in session mode (one instance per client session, a
 * warm spare kept), as `POST /api/servers` takes it.
 */
export const stdioEverything = (
  runtime: "process" | "docker",
  name = `bench-everything-${runtime}`,
) => ({
  name,
  source: { type: "npm", package: EVERYTHING_PACKAGE, version: everythingVersion() },
  transport: "stdio",
  runtime,
  sessionMode: "session",
});

/**
 * A5: the gateway bridging a stdio server on the process runtime (sandboxed with bubblewrap when
 * it is installed). Each client session gets its own server-everything process, so the measured
 * calls cross HTTP → gateway → stdio pipe.
 */
export function gatewayStdioArm(gateway: GatewayHost): Arm {
  return {
    name: "A5",
    label: "MCP Host gateway → stdio server (process runtime)",
    start: () => serverOnHost(gateway, stdioEverything("process"), 120_000),
  };
}

/**
 * A6: the same in a Docker container per session, in the tests' locally built Node image (never
 * pulled), on a network of its own. Skipped when no Docker engine answers.
 */
export function gatewayDockerArm(gateway: GatewayHost): Arm {
  return {
    name: "A6",
    label: "MCP Host gateway → stdio server (Docker runtime)",
    async start() {
      const docker = await gateway.docker();
      if (!docker.ok) throw new ArmSkipped(docker.reason);
      return serverOnHost(gateway, stdioEverything("docker"), 120_000);
    },
  };
}
