import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { ensureTestNodeImage } from "../support/docker-images.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import {
  processRuntime,
  referenceServerVersion,
  skipWithoutBubblewrap,
  skipWithoutDocker,
} from "../support/test-runtimes.js";

/**
 * `kill -9` of the control plane in the middle of a deploy, then a restart on the same data:
 * the server ends up running exactly once.
 */
const dirs: string[] = [];
const serverDirs = new Map<string, string>();
const dataDirOf = (serverId: string) => serverDirs.get(serverId) as string;
const processes: ServerProcess[] = [];
afterAll(async () => {
  for (const p of processes) p.child.kill("SIGKILL");
  for (const d of dirs)
    await rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function api(base: string, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      cookie,
      origin: base.replace("127.0.0.1", "localhost"),
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a control plane, creates a server, kills -9 during install, restarts; returns the server id. */
async function killDuringDeploy(env: Record<string, string>, runtime: "process" | "docker") {
  const dataDir = await mkdtemp(join(tmpdir(), "mcphost-kill-"));
  dirs.push(dataDir);
  const first = await startServerProcess({ MCPHOST_DATA_DIR: dataDir, ...env });
  processes.push(first);
  const reg = await fetch(`${first.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password: "correct horse battery" }),
  });
  const cookie = reg.headers.getSetCookie()[0]?.split(";")[0] as string;
  const version = await referenceServerVersion("@modelcontextprotocol/server-everything");
  const created = await api(first.url, cookie, "POST", "/api/servers", {
    name: "Survivor",
    source: { type: "npm", package: "@modelcontextprotocol/server-everything", version },
    transport: "stdio",
    // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
    sessionMode: "shared",
    runtime,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  serverDirs.set(id, dataDir);
  await until("installing", async () => {
    const s = await api(first.url, cookie, "GET", `/api/servers/${id}`);
    return s.body.status === "installing" ? true : undefined;
  });
  first.child.kill("SIGKILL");
  await first.exited;

  const second = await startServerProcess({ MCPHOST_DATA_DIR: dataDir, ...env });
  processes.push(second);
  await until("running after restart", async () => {
    const s = await api(second.url, cookie, "GET", `/api/servers/${id}`);
    return s.body?.status === "running" ? true : undefined;
  });
  return { id, second, cookie };
}

describe.skipIf(skipWithoutBubblewrap)(
  `kill -9 during a deploy: process runtime${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    it("ends with the server running exactly once", async () => {
      const { id, second, cookie } = await killDuringDeploy({}, "process");
      // Asked the way the reconciler asks: by labels, through a runtime of our own.
      const runtime = processRuntime(dataDirOf(id));
      const instances = async () =>
        (await runtime.list({ "mcphost.server-id": id })).filter((i) => i.state.state !== "exited");
      await new Promise((r) => setTimeout(r, 1000));
      expect(await instances()).toHaveLength(1);
      await api(second.url, cookie, "DELETE", `/api/servers/${id}`);
      await second.stop();
    }, 180_000);
  },
);

describe.skipIf(skipWithoutDocker)(
  `kill -9 during a deploy: Docker${skipWithoutDocker ? ` (${skipWithoutDocker})` : ""}`,
  () => {
    it("ends with the server running exactly once, and adopts it across another restart", async () => {
      const network = `mcphost-kill-${randomBytes(3).toString("hex")}`;
      const env = {
        MCPHOST_NODE_IMAGE: await ensureTestNodeImage(),
        MCPHOST_DOCKER_NETWORK: network,
      };
      const { id, second, cookie } = await killDuringDeploy(env, "docker");
      const docker = new Dockerode();
      const containers = () =>
        docker.listContainers({ all: true, filters: { label: [`mcphost.server-id=${id}`] } });
      await new Promise((r) => setTimeout(r, 1000));
      const running = await containers();
      expect(running).toHaveLength(1);

      // A clean restart of the control plane adopts the container instead of starting another.
      expect(await second.stop()).toBe(0);
      const third = await startServerProcess({ MCPHOST_DATA_DIR: dirs.at(-1) as string, ...env });
      processes.push(third);
      await until("adopted", async () => {
        const res = await fetch(`${third.url}/api/servers/${id}/logs?limit=1000`, {
          headers: { cookie },
        });
        const body = (await res.json()) as { items: Array<{ line: string }> };
        return body.items.some((l) => l.line.startsWith("adopted running instance"))
          ? true
          : undefined;
      });
      const after = await containers();
      expect(after.map((c) => c.Id)).toEqual(running.map((c) => c.Id));
      await api(third.url, cookie, "DELETE", `/api/servers/${id}`);
      await until("container removed", async () =>
        (await containers()).length === 0 ? true : undefined,
      );
      await third.stop();
      for (const name of [network, `${network}-internal`])
        await docker
          .getNetwork(name)
          .remove()
          .catch(() => {});
    }, 240_000);
  },
);
