import type { Server } from "../domain/servers/server.js";
import type { LogSink, Runtime } from "../runtimes/runtime.js";
import { launchSpecFor } from "./launch-spec.js";
import type { InstalledPackage } from "./npm-installer.js";
import type { LifecycleDeps } from "./server-lifecycle.js";

/**
 * Makes sure what the server runs is on this machine: the npm package installed at its pinned
 * version (installed anew, resolving the version again, on redeploy), and the image present for
 * Docker. Records `install` and `pull` events and the pinned version.
 */
export async function deployArtifacts(
  deps: LifecycleDeps,
  server: Server,
  runtime: Runtime,
  sink: LogSink,
): Promise<InstalledPackage | undefined> {
  const { store, activity, clock } = deps;
  const state = await store.servers.findRuntimeState(server.id);
  const redeploy = !state || state.deployedGeneration < state.deployGeneration;
  const log = (line: string) => sink({ stream: "system", line, time: clock.now() });
  let installed: InstalledPackage | undefined;

  if (server.source.type === "npm") {
    const { package: name } = server.source;
    installed =
      !redeploy && server.resolvedVersion
        ? await deps.installer.find(name, server.resolvedVersion)
        : undefined;
    if (!installed) {
      await activity.setStatus(server.id, "installing");
      const spec =
        redeploy || !server.resolvedVersion
          ? (server.source.version ?? "latest")
          : server.resolvedVersion;
      installed = await deps.installer.install(name, spec, log);
      await store.servers.update(server.id, { resolvedVersion: installed.version }, clock.now());
      await activity.record(server, "install", { package: name, version: installed.version });
    }
  }
  if (runtime.kind === "docker" && (redeploy || server.source.type === "image")) {
    await activity.setStatus(server.id, "pulling");
    const probe = launchSpecFor(server, {
      instanceId: "prepare",
      generation: 0,
      installationId: deps.installationId(),
      filesDir: "/nonexistent",
      installed,
    });
    // A redeploy (not the first deploy) looks for a newer image under the same tag.
    const refresh = redeploy && (state?.deployedGeneration ?? 0) > 0;
    await runtime.prepare(probe, sink, { refresh });
    if (redeploy)
      await activity.record(server, "pull", {
        image: probe.program.kind === "image" ? probe.program.image : "node",
      });
  }
  if (state && redeploy)
    await store.servers.updateRuntimeState(server.id, {
      deployedGeneration: state.deployGeneration,
    });
  return installed;
}
