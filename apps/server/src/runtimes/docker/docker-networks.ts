import { MANAGED_BY_LABEL } from "../../domain/servers/server.js";
import type { Logger } from "../../lib/logger.js";
import type { DockerClient } from "./docker-client.js";
import { engineCall, isFailure } from "./engine-call.js";

const ICC_OPTION = "com.docker.network.bridge.enable_icc";

/**
 * Makes sure a bridge network exists, once per process per name. Instances must not reach each
 * other past the gateway, so inter-container traffic is off; the host still reaches every
 * instance, and an `internal` network has no route out at all.
 */
export function createNetworks(docker: DockerClient, logger: Logger) {
  const ready = new Map<string, Promise<void>>();

  async function ensure(name: string, internal: boolean): Promise<void> {
    const existing = await docker.inspectNetwork(name);
    if (existing) {
      // Someone else's network (or an older one of ours) is used as it is, but not silently.
      if (existing.options[ICC_OPTION] !== "false" || existing.internal !== internal) {
        logger.warn(
          { network: name, internal: existing.internal, options: existing.options },
          "existing Docker network is less isolated than MCP Host would make it; recreate it",
        );
      }
      return;
    }
    const labels = { [MANAGED_BY_LABEL]: "mcphost" };
    const options = { [ICC_OPTION]: "false" };
    await docker.createNetwork({ name, internal, labels, options }).catch((err) => {
      // Another replica created it between our inspect and create: what we wanted.
      if (!isFailure(err, "conflict")) throw err;
    });
  }

  return {
    ensure(name: string, internal: boolean): Promise<void> {
      let done = ready.get(name);
      if (!done) {
        done = engineCall(docker.endpoint, "START_FAILED", `Creating network ${name}`, () =>
          ensure(name, internal),
        );
        // A failure is not cached: the next start tries again.
        done.catch(() => ready.delete(name));
        ready.set(name, done);
      }
      return done;
    },
    /** Forgets that `name` exists: it was removed behind our back (`docker network prune`). */
    forget(name: string): void {
      ready.delete(name);
    },
  };
}
