import type { Server } from "../domain/servers/server.js";
import type { ServerLogs } from "../domain/servers/server-logs.js";
import type { Store } from "../domain/store.js";
import type { ServerFileStore } from "../files/server-file-store.js";
import type { Clock } from "../lib/clock.js";
import { newId } from "../lib/ids.js";
import type { InstanceInfo, Runtime } from "../runtimes/runtime.js";
import { launchSpecFor } from "./launch-spec.js";
import type { NpmInstaller } from "./npm-installer.js";
import type { RuntimeRegistry } from "./runtime-registry.js";

/**
 * Marks instances the MCP gateway starts for one client session (a stdio server in session mode).
 * The lifecycle leaves them alone when it replaces the main instance, so a restart does not cut
 * open sessions; stopping or deleting the server removes them with everything else.
 */
export const ROLE_LABEL = "mcphost.role";
export const SESSION_ROLE = "session";

export const isSessionInstance = (instance: InstanceInfo) =>
  instance.labels[ROLE_LABEL] === SESSION_ROLE;

export interface StartedSessionInstance {
  instanceId: string;
  runtime: Runtime;
  generation: number;
}

/**
 * Starts extra instances of a running server, exactly as the lifecycle starts its main instance
 * (same program, limits, sandbox and /data), from what its last deploy installed.
 */
export function createSessionInstances(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  installer: NpmInstaller;
  files: ServerFileStore;
  logs: ServerLogs;
  clock: Clock;
  installationId: () => string;
}) {
  return {
    async start(server: Server): Promise<StartedSessionInstance> {
      const runtime = deps.runtimes.get(server.runtime);
      const state = await deps.store.servers.findRuntimeState(server.id);
      const generation = state?.generation ?? 1;
      let installed: Awaited<ReturnType<NpmInstaller["find"]>>;
      if (server.source.type === "npm") {
        installed = server.resolvedVersion
          ? await deps.installer.find(server.source.package, server.resolvedVersion)
          : undefined;
        if (!installed) throw new Error(`${server.source.package} is not installed yet`);
      }
      const instanceId = newId("instance");
      const spec = launchSpecFor(server, {
        instanceId,
        generation,
        installationId: deps.installationId(),
        filesDir: await deps.files.dirFor(server.id),
        installed,
      });
      spec.labels[ROLE_LABEL] = SESSION_ROLE;
      await runtime.start(spec, (line) =>
        deps.logs.append(server.id, line.stream, `[session ${instanceId}] ${line.line}`, line.time),
      );
      return { instanceId, runtime, generation };
    },

    /** Removes session instances a previous control-plane process left (their sessions died with it). */
    async removeLeftovers(labels: Record<string, string>): Promise<number> {
      let removed = 0;
      for (const runtime of deps.runtimes.all()) {
        if (!(await runtime.availability()).available) continue;
        for (const instance of await runtime.list({ ...labels, [ROLE_LABEL]: SESSION_ROLE })) {
          await runtime.remove(instance.instanceId).catch(() => {});
          removed++;
        }
      }
      return removed;
    },
  };
}

export type SessionInstances = ReturnType<typeof createSessionInstances>;
