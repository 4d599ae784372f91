import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Server } from "../domain/servers/server.js";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import { expandHeaders, remoteUrlProblem } from "../lib/remote-address.js";
import type { RuntimeRegistry } from "../lifecycle/runtime-registry.js";
import type { SessionInstances } from "../lifecycle/session-instances.js";
import { VERSION } from "../version.js";
import { GatewayError } from "./gateway-error.js";
import type { ProxyTarget } from "./http-proxy.js";
import type { ConnectOptions, GatewaySession } from "./ports.js";
import { SharedUpstream } from "./shared-upstream.js";
import { StreamTransport } from "./stream-transport.js";
import { createUpstreamPool } from "./upstream-pool.js";

/** The `clientInfo.name` of readiness handshakes, as servers see it. */
export const READINESS_CLIENT_NAME = "mcphost-readiness";
/** How long a stdio server may take to answer the readiness `initialize`. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/** Statuses in which a server takes new MCP sessions. */
export const SERVING: ReadonlySet<string> = new Set(["running", "unhealthy"]);

export interface OpenedUpstream {
  transport: Transport;
  kind: GatewaySession["upstream"];
  instanceId?: string | undefined;
}

/** Whether the gateway forwards HTTP as-is (the server speaks Streamable HTTP itself). */
export const speaksHttp = (server: Server) =>
  server.transport.type === "http" || server.source.type === "remote";

/**
 * Finds or makes the connection behind a session: a session instance (stdio, session mode), a
 * virtual connection to the shared instance (stdio, shared mode), or the address of a server that
 * speaks Streamable HTTP itself.
 */
export function createUpstreams(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  instances: SessionInstances;
  logger: Logger;
}) {
  const pool = createUpstreamPool({ ...deps, logger: deps.logger });
  /** Shared connections by the instance they talk to. */
  const shared = new Map<string, Promise<SharedUpstream>>();
  /** Instances still starting while their server is `running` (a main instance behind its spare). */
  const starting = new Map<string, Promise<unknown>>();

  function assertServing(server: Server) {
    if (SERVING.has(server.status)) return;
    const starting = ["created", "installing", "pulling", "starting"].includes(server.status);
    throw new GatewayError(
      "SERVICE_UNAVAILABLE",
      `The server is not running (status: ${server.status}${server.statusReason ? `: ${server.statusReason}` : ""})`,
      starting ? { "retry-after": "5" } : {},
    );
  }

  async function mainInstance(server: Server): Promise<string> {
    assertServing(server);
    const state = await deps.store.servers.findRuntimeState(server.id);
    if (!state?.currentInstanceId) {
      throw new GatewayError("SERVICE_UNAVAILABLE", "The server has no running instance", {
        "retry-after": "5",
      });
    }
    return state.currentInstanceId;
  }

  /**
   * The one connection to a stdio instance's streams, made on first use and kept until the
   * instance's output ends. Readiness makes it (`handshake`), so the first session finds it open.
   */
  function sharedMux(server: Server, instanceId: string): Promise<SharedUpstream> {
    let pending = shared.get(instanceId);
    if (!pending) {
      const made = (async () => {
        await starting.get(instanceId); // settled either way: attaching says why it failed
        const streams = await deps.runtimes.get(server.runtime).attachStdio(instanceId);
        const mux = new SharedUpstream(new StreamTransport(streams.stdin, streams.stdout), () => {
          if (shared.get(instanceId) === made) shared.delete(instanceId);
        });
        await mux.start();
        return mux;
      })();
      shared.set(instanceId, made);
      made.catch(() => shared.delete(instanceId));
      pending = made;
    }
    return pending;
  }

  async function sharedConnection(server: Server): Promise<Transport> {
    const mux = await sharedMux(server, await mainInstance(server));
    if (mux.isClosed) {
      throw new GatewayError("SERVICE_UNAVAILABLE", "The server's instance has ended", {
        "retry-after": "2",
      });
    }
    return mux.connect();
  }

  return {
    pool,
    assertServing,

    /** Where to send a server's Streamable HTTP. */
    async httpTarget(server: Server): Promise<ProxyTarget> {
      if (server.source.type === "remote") {
        assertServing(server);
        const { url, headers, allowPrivateNetwork } = server.source;
        // Checked again now: the name may have been re-pointed at an internal address since.
        const problem = await remoteUrlProblem(url, allowPrivateNetwork === true);
        if (problem) throw new GatewayError("FORBIDDEN", `The remote URL ${problem}`);
        return { url, headers: expandHeaders(headers, server.env) };
      }
      if (server.transport.type !== "http") throw new Error("not an http server");
      const instanceId = await mainInstance(server);
      const { host, port } = await deps.runtimes.get(server.runtime).address(instanceId);
      return { url: `http://${host}:${port}${server.transport.path}`, headers: {} };
    },

    async open(server: Server, options: ConnectOptions = {}): Promise<OpenedUpstream> {
      assertServing(server);
      if (speaksHttp(server)) {
        const target = await this.httpTarget(server);
        return {
          transport: new StreamableHTTPClientTransport(new URL(target.url), {
            requestInit: { headers: target.headers },
          }),
          kind: "http",
        };
      }
      // The main instance answers for the server when nobody waits (discovery): in session mode
      // it serves no client, and its connection is open since readiness; a new instance each
      // time would be a process started for nothing, on the cores the first client needs.
      if (server.sessionMode === "shared" || options.background)
        return { transport: await sharedConnection(server), kind: "shared" };
      try {
        const taken = await pool.take(server);
        return { transport: taken.transport, kind: "instance", instanceId: taken.instanceId };
      } catch (err) {
        deps.logger.warn({ err, serverId: server.id }, "could not start a session instance");
        throw new GatewayError(
          "SERVICE_UNAVAILABLE",
          `Could not start an instance for this session: ${(err as Error).message}`,
          { "retry-after": "5" },
        );
      }
    },

    /**
     * Readiness of a just-started stdio instance (its status is still `starting`): connects to it
     * as its first client would, asks MCP's `initialize`, and leaves. Resolves once answered.
     * The connection stays open for the sessions to come (shared mode); in session mode nothing
     * else reads the main instance, and the open connection keeps its output drained.
     */
    /** The lifecycle is starting this instance: a connection to it waits for the start. */
    instanceStarting(instanceId: string, started: Promise<unknown>): void {
      const settled = started.then(
        () => {},
        () => {},
      );
      starting.set(instanceId, settled);
      void settled.then(() => {
        if (starting.get(instanceId) === settled) starting.delete(instanceId);
      });
    },

    async handshake(server: Server, instanceId: string): Promise<void> {
      const mux = await sharedMux(server, instanceId);
      const client = new Client({ name: READINESS_CLIENT_NAME, version: VERSION });
      try {
        await client.connect(mux.connect(), { timeout: HANDSHAKE_TIMEOUT_MS });
      } finally {
        await client.close().catch(() => {});
      }
    },

    async stop(): Promise<void> {
      await pool.stop();
      for (const pending of shared.values()) await (await pending.catch(() => undefined))?.close();
      shared.clear();
    },
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;
