import { planRestart } from "../domain/servers/crash-backoff.js";
import { SERVER_ID_LABEL, type Server } from "../domain/servers/server.js";
import type { ServerActivity } from "../domain/servers/server-activity.js";
import type { ServerLogs } from "../domain/servers/server-logs.js";
import type { LifecycleQueue } from "../domain/servers/server-service.js";
import type { Store } from "../domain/store.js";
import type { ServerFileStore } from "../files/server-file-store.js";
import type { Clock } from "../lib/clock.js";
import { newId } from "../lib/ids.js";
import type { Logger } from "../lib/logger.js";
import type { InstanceInfo, LaunchSpec, LogSink, Runtime } from "../runtimes/runtime.js";
import { deployArtifacts } from "./deploy-artifacts.js";
import { GENERATION_LABEL, launchSpecFor } from "./launch-spec.js";
import type { NpmInstaller } from "./npm-installer.js";
import { type ReadinessOptions, waitUntilReady } from "./readiness.js";
import { convergeRemote } from "./remote-servers.js";
import type { RuntimeRegistry } from "./runtime-registry.js";
import { isSessionInstance } from "./session-instances.js";

/**
 * Runtimes whose instances outlive the control plane and can be taken over after a restart.
 * Process instances die with it (or are unreachable: their stdio pipes ended), so they are replaced.
 */
const ADOPTABLE: Record<Runtime["kind"], boolean> = { docker: true, process: false };

export interface LifecycleDeps {
  store: Store;
  runtimes: RuntimeRegistry;
  installer: NpmInstaller;
  files: ServerFileStore;
  activity: ServerActivity;
  logs: ServerLogs;
  queue: LifecycleQueue;
  clock: Clock;
  logger: Logger;
  readiness: ReadinessOptions;
  /**
   * Asks a just-started stdio instance for MCP's `initialize` (the gateway's connection to it);
   * resolves once it answered. Without it, stdio readiness is the grace period alone.
   */
  stdioHandshake?: (server: Server, instanceId: string) => Promise<void>;
  /**
   * Session mode: whether the spare instance the first client will take (the gateway's, started
   * now if need be) answered a ping, or stayed up `graceMs` without answering; rejects if it
   * ended. Without it, the main instance proves the server.
   */
  spareReady?: (server: Server, graceMs: number) => Promise<"answered" | "silent">;
  /** Tells the gateway an instance is starting, so a connection to it waits for that. */
  instanceStarting?: (instanceId: string, started: Promise<void>) => void;
  /** This installation's id, labelled on every instance (see INSTALLATION_LABEL). */
  installationId: () => string;
}

/**
 * Brings each server to its desired state (the `converge` job) and watches the instances it starts,
 * restarting crashed ones with backoff. Converging is idempotent: it looks at what the runtime
 * really runs (by labels) every time, so running it twice, or after a crash of the control plane,
 * ends in the same place.
 */
export function createServerLifecycle(deps: LifecycleDeps) {
  const { store, runtimes, activity, logs, clock } = deps;
  /** Instances this process watches, by instance id. */
  const watched = new Set<string>();

  const system = (serverId: string, message: string) =>
    logs.append(serverId, "system", message, clock.now());
  const sinkFor =
    (serverId: string): LogSink =>
    (line) =>
      logs.append(serverId, line.stream, line.line, line.time);

  function watch(server: Server, runtime: Runtime, instanceId: string) {
    watched.add(instanceId);
    runtime
      .waitForExit(instanceId)
      .then(({ exitCode }) => onExit(server.id, instanceId, exitCode))
      .catch((err) =>
        deps.logger.error({ err, serverId: server.id, instanceId }, "lost track of an instance"),
      )
      .finally(() => watched.delete(instanceId));
  }

  /** An exit we did not ask for: record the crash and schedule a restart with backoff. */
  async function onExit(serverId: string, instanceId: string, exitCode: number | null) {
    const server = await store.servers.findById(serverId);
    const state = await store.servers.findRuntimeState(serverId);
    if (!server || !state || state.currentInstanceId !== instanceId) return; // replaced or stopped on purpose
    if (server.desiredState !== "running" || server.status === "removing") return;
    const now = clock.now();
    const plan = planRestart(state, now);
    await store.servers.updateRuntimeState(serverId, {
      ...plan.streak,
      currentInstanceId: null,
      runningSince: null,
    });
    const seconds = (plan.delayMs / 1000).toFixed(plan.delayMs < 10_000 ? 1 : 0);
    const how = exitCode === null ? "was killed" : `exited with code ${exitCode}`;
    system(
      serverId,
      `server ${how}; restarting in ${seconds} s (restart ${plan.streak.restartCount})`,
    );
    await activity.record(server, "crash", { exitCode, instanceId });
    await activity.record(server, "restart", {
      reason: "crash",
      restartInMs: plan.delayMs,
      restartCount: plan.streak.restartCount,
      crashloop: plan.crashloop,
    });
    await activity.setStatus(
      serverId,
      plan.crashloop ? "crashloop" : "starting",
      `${how}; restart ${plan.streak.restartCount} in ${seconds} s`,
    );
    await deps.queue.converge(serverId, "crash", plan.restartAt);
  }

  async function removeInstances(runtime: Runtime, instances: InstanceInfo[]) {
    for (const instance of instances) await runtime.remove(instance.instanceId);
  }

  async function remove(server: Server, runtime: Runtime | undefined, instances: InstanceInfo[]) {
    if (runtime) await removeInstances(runtime, instances);
    await deps.files.removeAll(server.id);
    await logs.flush();
    await activity.announceRemoved(server);
    await store.servers.delete(server.id);
    deps.logger.info({ serverId: server.id }, "server removed");
  }

  async function stop(server: Server, runtime: Runtime, instances: InstanceInfo[]) {
    await store.servers.updateRuntimeState(server.id, {
      currentInstanceId: null,
      runningSince: null,
    });
    if (instances.some((i) => i.state.state !== "exited")) {
      await activity.setStatus(server.id, "stopping");
      system(server.id, "stopping");
    }
    await removeInstances(runtime, instances);
    if (server.status !== "stopped") {
      await activity.setStatus(server.id, "stopped");
      system(server.id, "stopped");
    }
  }

  /** The readiness handshake of a stdio instance, which logs how long the server took to answer. */
  function handshakeOf(server: Server, instanceId: string) {
    const { stdioHandshake } = deps;
    if (!stdioHandshake || server.transport.type !== "stdio") return undefined;
    return async () => {
      const startedAt = performance.now();
      await stdioHandshake(server, instanceId);
      system(
        server.id,
        `answered MCP initialize in ${Math.round(performance.now() - startedAt)} ms`,
      );
    };
  }

  /**
   * In session mode the main instance serves no client: the spare does, so the spare proves the
   * server by the same rule as the main instance otherwise (an answer, or staying up through the
   * grace), before the main instance starts, and the first client does not wait for two programs
   * starting at once on the same cores. False when the spare ended or could not start: the main
   * instance's readiness decides then (a server that dies at start goes the crash path).
   */
  async function spareProvedServer(server: Server): Promise<boolean> {
    const { spareReady } = deps;
    if (!spareReady || server.transport.type !== "stdio" || server.sessionMode !== "session")
      return false;
    const startedAt = performance.now();
    // As the deploy left it (the version it resolved), which the spare is started from.
    const deployed = await store.servers.findById(server.id);
    if (!deployed) return false;
    const outcome = await spareReady(deployed, deps.readiness.stdioGraceMs).catch(() => undefined);
    const ms = Math.round(performance.now() - startedAt);
    if (outcome === "answered")
      system(server.id, `a session instance answered MCP ping in ${ms} ms`);
    if (outcome === "silent")
      system(server.id, `a session instance is up after ${ms} ms without answering MCP ping`);
    return outcome !== undefined;
  }

  /** The instance proved ready: the server is `running` (unless it was replaced meanwhile). */
  async function markRunning(server: Server, runtime: Runtime, instanceId: string) {
    const current = await store.servers.findRuntimeState(server.id);
    if (current?.currentInstanceId !== instanceId) return false; // crashed or replaced meanwhile
    await store.servers.updateRuntimeState(server.id, { runningSince: clock.now() });
    // The running instance now reflects every saved setting.
    if (server.redeployNeeded)
      await store.servers.update(server.id, { redeployNeeded: false }, clock.now());
    await activity.setStatus(server.id, "running");
    await activity.record(server, "start", { instanceId, runtime: runtime.kind });
    system(server.id, "running");
    return true;
  }

  /**
   * Session mode, once the spare proved the server: it is `running` at once, and its main
   * instance starts behind it. Clients never use the main instance (it is supervised, and
   * discovery talks to it), so the first client does not wait for it; a gateway connection to
   * it waits for its start (`instanceStarting`). An exit of it is a crash like any other.
   */
  async function startBehindSpare(server: Server, runtime: Runtime, spec: LaunchSpec) {
    const { instanceId } = spec;
    system(server.id, `starting instance ${instanceId} on the ${runtime.kind} runtime`);
    const started = runtime.start(spec, sinkFor(server.id));
    started.catch(() => {}); // awaited below, once `running` is out: not unhandled meanwhile
    deps.instanceStarting?.(instanceId, started);
    try {
      await markRunning(server, runtime, instanceId);
    } finally {
      await started;
      watch(server, runtime, instanceId);
    }
    // Its answer is logged, and the gateway's connection it leaves open drains its output.
    void handshakeOf(server, instanceId)?.().catch((err) =>
      deps.logger.debug({ err, serverId: server.id, instanceId }, "no answer to initialize"),
    );
  }

  async function start(
    server: Server,
    runtime: Runtime,
    instances: InstanceInfo[],
    generation: number,
  ) {
    const installed = await deployArtifacts(deps, server, runtime, sinkFor(server.id));
    await store.servers.updateRuntimeState(server.id, { currentInstanceId: null });
    await removeInstances(runtime, instances);

    const instanceId = newId("instance");
    await store.servers.updateRuntimeState(server.id, {
      currentInstanceId: instanceId,
      runningSince: null,
    });
    await activity.setStatus(
      server.id,
      "starting",
      server.status === "crashloop" ? server.statusReason : null,
    );
    const spec = launchSpecFor(server, {
      instanceId,
      generation,
      installationId: deps.installationId(),
      filesDir: await deps.files.dirFor(server.id),
      installed,
    });
    if (await spareProvedServer(server)) return startBehindSpare(server, runtime, spec);
    system(server.id, `starting instance ${instanceId} on the ${runtime.kind} runtime`);
    await runtime.start(spec, sinkFor(server.id));
    watch(server, runtime, instanceId);
    const outcome = await waitUntilReady(
      runtime,
      spec,
      deps.readiness,
      handshakeOf(server, instanceId),
    );
    if (outcome === "ready") {
      await markRunning(server, runtime, instanceId);
    } else if (outcome === "timeout") {
      system(
        server.id,
        `not ready after ${deps.readiness.httpTimeoutMs / 1000} s; stopping it to retry`,
      );
      // The exit this causes goes through onExit, which schedules the restart.
      await runtime.stop(instanceId);
    }
    // "exited": onExit has it.
  }

  return {
    /** The `converge` job: makes what runs match what the server row asks for. */
    async converge(serverId: string): Promise<void> {
      const server = await store.servers.findById(serverId);
      if (!server) return;
      if (server.source.type === "remote") return convergeRemote(deps, server, remove);
      const runtime = runtimes.get(server.runtime);
      const state = await store.servers.findRuntimeState(serverId);
      const all = await runtime.list({ [SERVER_ID_LABEL]: serverId });
      if (server.status === "removing") return remove(server, runtime, all);
      if (server.desiredState === "stopped") return stop(server, runtime, all);
      // Instances serving one gateway session live until their session ends.
      const instances = all.filter((i) => !isSessionInstance(i));

      const generation = state?.generation ?? 1;
      const current = instances.find(
        (i) =>
          i.instanceId === state?.currentInstanceId &&
          i.state.state !== "exited" &&
          i.labels[GENERATION_LABEL] === String(generation),
      );
      const redeploy = (state?.deployedGeneration ?? 0) < (state?.deployGeneration ?? 1);
      if (current && !redeploy) {
        if (watched.has(current.instanceId)) return; // ours and alive: nothing to do
        if (ADOPTABLE[runtime.kind]) {
          watch(server, runtime, current.instanceId);
          await runtime.followLogs?.(current.instanceId, sinkFor(serverId), {
            stdout: server.transport.type === "http",
          });
          system(serverId, `adopted running instance ${current.instanceId}`);
          await activity.setStatus(serverId, "running");
          return;
        }
      }
      await start(server, runtime, instances, generation);
    },

    /** Adds a lifecycle message to the server's log. */
    logSystem: system,

    /** Instance ids this process watches (for the reconciler and tests). */
    watchedInstances: () => new Set(watched),
  };
}

export type ServerLifecycle = ReturnType<typeof createServerLifecycle>;
