import type { Server } from "../domain/servers/server.js";
import { remoteUrlProblem } from "../lib/remote-address.js";
import type { InstanceInfo, Runtime } from "../runtimes/runtime.js";
import type { LifecycleDeps } from "./server-lifecycle.js";

const PROBE_TIMEOUT_MS = 10_000;

/**
 * The lifecycle of a server that runs elsewhere: nothing to install or start. "Running" means its
 * URL is allowed and answers HTTP (any status: an MCP endpoint refuses a bare GET); otherwise the
 * server goes to `error` with the reason, until its user starts it again.
 */
export async function convergeRemote(
  deps: LifecycleDeps,
  server: Server,
  remove: (
    server: Server,
    runtime: Runtime | undefined,
    instances: InstanceInfo[],
  ) => Promise<void>,
): Promise<void> {
  const { activity, logs, clock } = deps;
  if (server.source.type !== "remote") return;
  const log = (line: string) => logs.append(server.id, "system", line, clock.now());
  if (server.status === "removing") return remove(server, undefined, []);
  if (server.desiredState === "stopped") {
    if (server.status !== "stopped") {
      await activity.setStatus(server.id, "stopped");
      log("stopped");
    }
    return;
  }
  if (server.status === "running" || server.status === "unhealthy") return;
  const { url, allowPrivateNetwork } = server.source;
  await activity.setStatus(server.id, "starting");
  log(`checking the remote server at ${url}`);
  const problem = await remoteUrlProblem(url, allowPrivateNetwork === true);
  let failure = problem ? `the URL ${problem}` : undefined;
  if (!failure) {
    try {
      const response = await fetch(url, {
        method: "GET",
        headers: { accept: "text/event-stream" },
        redirect: "manual",
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      await response.body?.cancel();
    } catch (err) {
      failure = `could not reach ${url}: ${(err as Error).cause ?? (err as Error).message}`;
    }
  }
  if (failure) {
    log(failure);
    await activity.setStatus(server.id, "error", failure);
    return;
  }
  await activity.setStatus(server.id, "running");
  await activity.record(server, "start", { remote: url });
  log("running (remote)");
}
