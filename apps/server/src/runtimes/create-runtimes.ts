import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { RuntimeKind } from "../domain/servers/server.js";
import type { Logger } from "../lib/logger.js";
import { createDockerClient } from "./docker/docker-client.js";
import { createDockerRuntime } from "./docker/docker-runtime.js";
import { createProcessRuntime, findBubblewrap } from "./process/process-runtime.js";
import type { Runtime } from "./runtime.js";

/**
 * The runtimes this control plane offers: local processes (sandboxed with bubblewrap when found)
 * and Docker. Whether Docker is usable is decided per call by its availability check, so an engine
 * that starts later is picked up.
 */
export async function createRuntimes(
  config: Config,
  logger: Logger,
): Promise<Partial<Record<RuntimeKind, Runtime>>> {
  const bwrapPath = await findBubblewrap(config.searchPath);
  if (!bwrapPath) {
    logger.warn(
      "bubblewrap not found: servers on the process runtime run without a sandbox, and only admins may create them",
    );
  }
  return {
    process: createProcessRuntime({
      stateDir: join(config.dataDir, "runtimes", "process"),
      bwrapPath,
      nodePath: process.execPath,
      logger: logger.child({ runtime: "process" }),
    }),
    docker: createDockerRuntime({
      docker: createDockerClient({ host: config.docker.host }),
      nodeImage: config.docker.nodeImage,
      hostNodeFallback: config.docker.nodeImageIsDefault,
      networkName: config.docker.network,
      gpuAvailable: config.docker.gpu,
      logger: logger.child({ runtime: "docker" }),
    }),
  };
}
