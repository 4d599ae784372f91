import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Endpoint } from "../latency-client.js";
import type { RunningArm } from "./arm.js";
import { createServer, type McpHost, removeServer, startMcpHost, withHostLog } from "./mcp-host.js";

/**
 * The one MCP Host the gateway arms (A2, A5, A6) and the memory workloads share, each with a
 * server of its own on it, as one MCP Host serves many servers. Started on first use, so a run
 * that needs no gateway starts none; started once, since each start costs seconds of CPU
 * (a smoke run must stay short). It runs with the gc hook (`gc-hook.mjs`: a SIGUSR2 listener,
 * idle otherwise) so the memory workloads can read its heap after a full GC.
 */
export interface GatewayHost {
  /** The host, started on the first call. */
  get(): Promise<McpHost>;
  /** Set when `--profile` asked for it: where the CPU profile will be once `stop` returns. */
  profileDir: string | undefined;
  /** The Docker runtime's setup, or why there is none (A6 is skipped with it). */
  docker(): Promise<DockerSetup>;
  stop(): Promise<void>;
}

/** When ok: the Node image and network the Docker runtime uses (the deploy baselines use them). */
export type DockerSetup =
  | { ok: true; image: string; network: string }
  | { ok: false; reason: string };

export function gatewayHost(options: {
  workDir: string;
  profile: boolean;
  /** Prepare the Docker runtime (A6 is wanted): a locally built Node image, a network of its own. */
  docker: boolean;
}): GatewayHost {
  const profileDir = options.profile ? join(options.workDir, "gateway-profile") : undefined;
  const network = `mcphost-bench-${randomBytes(3).toString("hex")}`;
  let docker: Promise<DockerSetup & { env: Record<string, string> }> | undefined;
  let host: Promise<McpHost> | undefined;

  const dockerSetup = () => {
    docker ??= (async () => {
      if (!options.docker) return { ok: false, reason: "not asked for", env: {} } as const;
      const { default: Dockerode } = await import("dockerode");
      const reachable = await new Dockerode().ping().then(
        () => true,
        () => false,
      );
      if (!reachable) return { ok: false, reason: "Docker engine not reachable", env: {} } as const;
      // Never pulled: the tests' image, built locally from this machine's Node.
      const { ensureTestNodeImage } = await import("../../test/support/docker-images.js");
      const env = {
        MCPHOST_NODE_IMAGE: await ensureTestNodeImage(),
        MCPHOST_DOCKER_NETWORK: network,
      };
      return { ok: true, image: env.MCPHOST_NODE_IMAGE, network, env } as const;
    })();
    return docker;
  };

  return {
    profileDir,
    docker: dockerSetup,
    get() {
      host ??= (async () => {
        if (profileDir) await mkdir(profileDir, { recursive: true });
        const { env } = await dockerSetup();
        return startMcpHost({
          workDir: options.workDir,
          name: "gateway",
          env,
          gcHook: true,
          nodeArgs: profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [],
        });
      })();
      return host;
    },
    async stop() {
      if (host) await (await host.catch(() => undefined))?.stop();
      if ((await docker)?.ok) {
        const { default: Dockerode } = await import("dockerode");
        const engine = new Dockerode();
        for (const name of [network, `${network}-internal`])
          await engine
            .getNetwork(name)
            .remove()
            .catch(() => {});
      }
    },
  };
}

/**
 * An arm served by a server of its own on the shared host (`body` as `POST /api/servers` takes
 * it): its MCP endpoint with the server's key, the gateway's pid (whose CPU and memory the
 * workloads read) and profile folder. Closing the arm deletes the server, so its instances do
 * not outlive it; the host is the suite's.
 */
export async function serverOnHost(
  gateway: GatewayHost,
  body: Record<string, unknown>,
  timeoutMs?: number,
): Promise<RunningArm & Endpoint> {
  const host = await gateway.get();
  const { id, url, headers } = await withHostLog(host, () => createServer(host, body, timeoutMs));
  return {
    url,
    headers,
    pid: host.child.pid,
    profileDir: gateway.profileDir,
    close: () => removeServer(host, id),
  };
}
