import type { Server } from "../domain/servers/server.js";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import { settleWithin } from "../lifecycle/readiness.js";
import type { SessionInstances, StartedSessionInstance } from "../lifecycle/session-instances.js";
import type { StdioStreams } from "../runtimes/runtime.js";
import { type PendingPing, pingBeforeInitialize, READINESS_PING_ID } from "./stdio-ping.js";
import { StreamTransport } from "./stream-transport.js";

interface Spare extends StartedSessionInstance {
  streams: StdioStreams;
  exited: boolean;
  /** Pinged as soon as it starts: its answer proves the server can serve (`ready`). */
  ping: PendingPing;
}

/**
 * Instances of stdio servers in session mode, one per client session. One spare per server is
 * kept started (pre-warmed), so a new session takes it instead of waiting for a cold start, and
 * the next spare starts in the background.
 */
export function createUpstreamPool(deps: {
  instances: Pick<SessionInstances, "start">;
  store: { servers: Pick<Store["servers"], "findRuntimeState"> };
  logger: Logger;
}) {
  const spares = new Map<string, Promise<Spare | undefined>>();

  async function launch(server: Server): Promise<Spare> {
    const started = await deps.instances.start(server);
    try {
      const streams = await started.runtime.attachStdio(started.instanceId);
      const spare: Spare = {
        ...started,
        streams,
        exited: false,
        ping: pingBeforeInitialize(streams),
      };
      const exited = () => {
        spare.exited = true;
      };
      started.runtime.waitForExit(started.instanceId).then(exited, exited);
      return spare;
    } catch (err) {
      await started.runtime.remove(started.instanceId).catch(() => {});
      throw err;
    }
  }

  /** The session's connection to its instance; closing it removes the instance. */
  const connection = (chosen: Spare) => {
    const transport = new StreamTransport(chosen.streams.stdin, chosen.streams.stdout, () =>
      chosen.runtime.remove(chosen.instanceId).catch((err) => {
        deps.logger.warn({ err, instanceId: chosen.instanceId }, "could not remove an instance");
      }),
    );
    // Taken before it answered the ping (a slow server, or one just started): the session reads
    // its stdout from now on, and the ping's answer is not the client's.
    if (chosen.ping.cancel()) transport.dropAnswerTo(READINESS_PING_ID);
    return { transport, instanceId: chosen.instanceId };
  };

  const removeSpare = (spare: Spare) =>
    spare.runtime.remove(spare.instanceId).catch((err) => {
      deps.logger.warn({ err, instanceId: spare.instanceId }, "could not remove a spare instance");
    });

  return {
    /** Starts a spare for the server unless one is already there or starting. */
    warm(server: Server): void {
      if (spares.has(server.id)) return;
      const pending = launch(server).catch((err) => {
        deps.logger.warn({ err, serverId: server.id }, "could not pre-warm a session instance");
        if (spares.get(server.id) === pending) spares.delete(server.id);
        return undefined;
      });
      spares.set(server.id, pending);
    },

    /**
     * A connection to an instance of its own for one session: the spare if it is still good
     * (alive, of the current generation), else a fresh one. Closing it removes the instance.
     */
    async take(server: Server): Promise<{ transport: StreamTransport; instanceId: string }> {
      const pending = spares.get(server.id);
      spares.delete(server.id);
      let spare = pending ? await pending : undefined;
      const generation = (await deps.store.servers.findRuntimeState(server.id))?.generation ?? 1;
      if (spare && (spare.exited || spare.generation !== generation)) {
        void removeSpare(spare);
        spare = undefined;
      }
      const chosen = spare ?? (await launch(server));
      this.warm(server);
      return connection(chosen);
    },

    /**
     * Whether the server's current spare (started now if there is none) can serve: "answered"
     * once it answers its ping, "silent" if it is still up `graceMs` after its start without
     * having answered (some servers say nothing before their first client). Rejects if the
     * spare could not start or ended first.
     */
    async ready(server: Server, graceMs: number): Promise<"answered" | "silent"> {
      await this.refresh(server);
      this.warm(server);
      const spare = await spares.get(server.id);
      if (!spare) throw new Error("The spare instance could not start");
      const outcome = await settleWithin(spare.ping.answered, graceMs);
      if (outcome === "failed" || spare.exited) throw new Error("The spare instance ended");
      return outcome === "succeeded" ? "answered" : "silent";
    },

    /**
     * Leaves the server with a spare of its current generation: keeps one that is alive and
     * current, else removes it (a restart or redeploy made it stale) and starts another.
     */
    async refresh(server: Server): Promise<void> {
      const pending = spares.get(server.id);
      const spare = pending ? await pending : undefined;
      // Still the map's entry (undefined when it failed to start), or a session took it meanwhile.
      const current = spares.get(server.id);
      if (current !== undefined && current !== pending) return;
      const generation = (await deps.store.servers.findRuntimeState(server.id))?.generation ?? 1;
      if (spares.get(server.id) !== current) return;
      if (current && spare && !spare.exited && spare.generation === generation) return;
      if (current) {
        spares.delete(server.id);
        if (spare) await removeSpare(spare);
      }
      this.warm(server);
    },

    /** Drops the server's spare (the server stopped, restarted or changed mode). */
    async discard(serverId: string): Promise<void> {
      const pending = spares.get(serverId);
      spares.delete(serverId);
      const spare = pending ? await pending : undefined;
      if (spare) await removeSpare(spare);
    },

    /** The server ids that have a spare, ready or starting. */
    warmed: () => [...spares.keys()],

    async stop(): Promise<void> {
      await Promise.all([...spares.keys()].map((id) => this.discard(id)));
    },
  };
}

export type UpstreamPool = ReturnType<typeof createUpstreamPool>;
