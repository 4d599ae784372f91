import { readdir } from "node:fs/promises";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/runtimes/runtime.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { ensureTestImageWithEntrypoint } from "../support/docker-images.js";
import { afterNextEvent, waitForGone, waitForLog, waitForStatus } from "../support/servers-api.js";
import {
  dockerRuntime,
  referenceServerVersion,
  skipWithoutDocker,
} from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const docker = new Dockerode();
const containersOf = async (serverId: string) =>
  docker.listContainers({ all: true, filters: { label: [`mcphost.server-id=${serverId}`] } });

describe.skipIf(skipWithoutDocker)(
  `servers on Docker${skipWithoutDocker ? ` (${skipWithoutDocker})` : ""}`,
  () => {
    let s: TestServer;
    let alice: ApiClient;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const d = await dockerRuntime();
      cleanup = d.cleanup;
      const runtime: Runtime = d.runtime;
      s = await startTestServer({ runtimesFor: () => ({ docker: runtime }) });
      alice = (await signUp(s.client(), "alice@example.com")).client;
    }, 60_000);
    afterAll(async () => {
      await s?.close();
      await cleanup?.();
    });

    it("runs an npm server in a hardened container through its whole lifecycle", async () => {
      const version = await referenceServerVersion("@modelcontextprotocol/server-everything");
      const created = await alice.post("/api/servers", {
        name: "Everything in Docker",
        source: { type: "npm", package: "@modelcontextprotocol/server-everything", version },
        transport: "stdio",
        // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
        sessionMode: "shared",
        limits: { memoryMb: 256 },
      });
      expect(created.status).toBe(201);
      // `auto` prefers Docker when the engine answers.
      expect(created.body.runtime).toBe("docker");
      const id = created.body.id as string;
      await waitForStatus(alice, id, "running", 90_000);
      const log = await waitForLog(alice, id, /\[system\] running/);
      expect(log).toContain(`installed @modelcontextprotocol/server-everything@${version}`);

      const [container] = await containersOf(id);
      expect(container).toBeDefined();
      const info = await docker.getContainer(container?.Id as string).inspect();
      expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
      expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
      expect(info.HostConfig.Privileged).toBe(false);
      expect(info.HostConfig.NetworkMode).not.toBe("host");
      expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024);
      expect(info.HostConfig.PortBindings ?? {}).toEqual({});
      expect(JSON.stringify(info.Mounts)).not.toContain("docker.sock");
      expect(info.Mounts.map((m) => m.Destination)).toContain("/data");

      const stats = await alice.get(`/api/servers/${id}/stats`);
      expect(stats.body.memoryBytes).toBeGreaterThan(0);

      await alice.post(`/api/servers/${id}/stop`);
      await waitForStatus(alice, id, "stopped");
      expect(await containersOf(id)).toEqual([]);
      await alice.post(`/api/servers/${id}/start`);
      await waitForStatus(alice, id, "running");
      const [first] = await containersOf(id);
      await afterNextEvent(alice, id, "start", () => alice.post(`/api/servers/${id}/restart`));
      await waitForStatus(alice, id, "running");
      const afterRestart = await containersOf(id);
      expect(afterRestart).toHaveLength(1);
      expect(afterRestart[0]?.Id).not.toBe(first?.Id);

      await alice.delete(`/api/servers/${id}`);
      await waitForGone(alice, id);
      expect(await containersOf(id)).toEqual([]);
      expect((await readdir(join(s.dataDir, "servers"))).includes(id)).toBe(false);
    }, 180_000);

    it("runs a local image speaking HTTP, reachable only on the Docker network", async () => {
      const image = await ensureTestImageWithEntrypoint();
      const created = await alice.post("/api/servers", {
        name: "Image server",
        source: { type: "image", image },
        transport: { type: "http", port: 8080 },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await waitForStatus(alice, id, "running", 60_000);
      const [container] = await containersOf(id);
      const info = await docker.getContainer(container?.Id as string).inspect();
      expect(info.Config.Env).toContain("PORT=8080");
      expect(info.NetworkSettings.Ports?.["8080/tcp"] ?? null).toBeNull();
      // A redeploy looks for a newer image under the tag; with no registry here it keeps the local one.
      await afterNextEvent(alice, id, "start", () => alice.post(`/api/servers/${id}/redeploy`));
      await waitForStatus(alice, id, "running");
      expect(await waitForLog(alice, id, /using the local copy of/)).toContain(image);
      await alice.delete(`/api/servers/${id}`);
      await waitForGone(alice, id);
    }, 120_000);

    it("says plainly when an image cannot be pulled", async () => {
      const created = await alice.post("/api/servers", {
        name: "Missing image",
        source: { type: "image", image: "mcphost-test-missing:nope" },
        transport: "stdio",
        // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
        sessionMode: "shared",
      });
      const failed = await waitForStatus(alice, created.body.id, "error", 60_000);
      expect(failed.statusReason).toMatch(/mcphost-test-missing:nope/);
    }, 90_000);
  },
);
