import {
  INSTALLATION_LABEL,
  MANAGED_BY_LABEL,
  SERVER_ID_LABEL,
  type Server,
} from "../domain/servers/server.js";
import type { LaunchSpec, Program } from "../runtimes/runtime.js";
import type { InstalledPackage } from "./npm-installer.js";

/** Label naming the server generation an instance was started for (restart/redeploy bump it). */
export const GENERATION_LABEL = "mcphost.generation";

export function labelsFor(
  serverId: string,
  generation: number,
  installationId: string,
): Record<string, string> {
  return {
    [SERVER_ID_LABEL]: serverId,
    [MANAGED_BY_LABEL]: "mcphost",
    [INSTALLATION_LABEL]: installationId,
    [GENERATION_LABEL]: String(generation),
  };
}

export function programFor(server: Server, installed: InstalledPackage | undefined): Program {
  const { source } = server;
  switch (source.type) {
    case "npm":
      if (!installed) throw new Error(`package ${source.package} is not installed`);
      return {
        kind: "node-package",
        packageDir: installed.packageDir,
        entry: installed.entry,
        args: source.args ?? [],
      };
    case "image":
      return { kind: "image", image: source.image, command: source.command, args: source.args };
    case "command":
      return { kind: "host-command", command: source.command, args: source.args ?? [] };
    case "remote":
      throw new Error("a remote server runs elsewhere: there is nothing to launch");
  }
}

/**
 * What the runtime runs for this server. An http server is told its port in PORT unless its own
 * variables say otherwise (most MCP servers read it).
 */
export function launchSpecFor(
  server: Server,
  options: {
    instanceId: string;
    generation: number;
    installationId: string;
    filesDir: string;
    installed: InstalledPackage | undefined;
  },
): LaunchSpec {
  const env = { ...server.env };
  if (server.transport.type === "http" && env.PORT === undefined)
    env.PORT = String(server.transport.port);
  return {
    serverId: server.id,
    instanceId: options.instanceId,
    labels: labelsFor(server.id, options.generation, options.installationId),
    program: programFor(server, options.installed),
    env,
    transport: server.transport,
    limits: server.limits,
    network: server.network,
    gpu: server.gpu,
    filesDir: options.filesDir,
  };
}
