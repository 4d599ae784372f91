import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Dockerode from "dockerode";
import { createLogger } from "../../src/lib/logger.js";
import { createDockerClient } from "../../src/runtimes/docker/docker-client.js";
import { createDockerRuntime } from "../../src/runtimes/docker/docker-runtime.js";
import {
  createProcessRuntime,
  findBubblewrap,
} from "../../src/runtimes/process/process-runtime.js";
import type { Runtime } from "../../src/runtimes/runtime.js";
import { ensureTestNodeImage } from "./docker-images.js";
import { runningInCi } from "./postgres.js";

const logger = createLogger({ level: "silent" });

/**
 * Real runtimes for whole-app tests. Outside CI a missing bubblewrap or Docker engine skips the
 * tests that need it (with the reason); under CI=true they run and fail.
 */
export const bwrapPath = await findBubblewrap(process.env.PATH ?? "");
export const skipWithoutBubblewrap =
  bwrapPath || runningInCi
    ? undefined
    : "bubblewrap (bwrap) is not installed or cannot sandbox here";

/** The process runtime, sandboxed when bubblewrap is here (or never, with `sandbox: false`). */
export function processRuntime(dataDir: string, options: { sandbox?: boolean } = {}): Runtime {
  return createProcessRuntime({
    stateDir: join(dataDir, "runtimes", "process"),
    bwrapPath: options.sandbox === false ? null : bwrapPath,
    nodePath: process.execPath,
    logger,
  });
}

export const dockerHost = process.env.DOCKER_HOST;
const dockerReachable = await new Dockerode()
  .ping()
  .then(() => true)
  .catch(() => false);
export const skipWithoutDocker =
  dockerReachable || runningInCi ? undefined : "Docker engine not reachable (start dockerd)";

/** A Docker runtime on its own network, running npm servers in a locally built Node image. */
export async function dockerRuntime(): Promise<{
  runtime: Runtime;
  nodeImage: string;
  cleanup: () => Promise<void>;
}> {
  const nodeImage = await ensureTestNodeImage();
  const network = `mcphost-test-${randomBytes(3).toString("hex")}`;
  const runtime = createDockerRuntime({
    docker: createDockerClient({ host: dockerHost }),
    nodeImage,
    networkName: network,
    logger,
  });
  return {
    runtime,
    nodeImage,
    cleanup: async () => {
      const docker = new Dockerode();
      for (const name of [network, `${network}-internal`])
        await docker
          .getNetwork(name)
          .remove()
          .catch(() => {});
    },
  };
}

/** The exact version of a reference server installed as a devDependency: installs from the npm cache. */
export async function referenceServerVersion(name: string): Promise<string> {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}
