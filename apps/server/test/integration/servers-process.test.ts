import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { afterNextEvent, waitForGone, waitForLog, waitForStatus } from "../support/servers-api.js";
import {
  processRuntime,
  referenceServerVersion,
  skipWithoutBubblewrap,
} from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** Process ids whose environment carries our server-id label. */
async function processesOf(serverId: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
    if (environ.includes(serverId)) pids.push(Number(entry));
  }
  return pids;
}

describe.skipIf(skipWithoutBubblewrap)(
  `an npm server on the process runtime${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    let s: TestServer;
    let alice: ApiClient;
    let bob: ApiClient;
    let version: string;

    beforeAll(async () => {
      s = await startTestServer({
        runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
      });
      alice = (await signUp(s.client(), "alice@example.com")).client;
      bob = (await signUp(s.client(), "bob@example.com")).client;
      version = await referenceServerVersion("@modelcontextprotocol/server-everything");
    }, 60_000);
    afterAll(() => s?.close());

    it("is created, installed, started, stopped, restarted and deleted, leaving nothing behind", async () => {
      {
        const created = await alice.post("/api/servers", {
          name: "Everything",
          source: { type: "npm", package: "@modelcontextprotocol/server-everything", version },
          transport: "stdio",
          // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
          sessionMode: "shared",
          runtime: "process",
          env: { GREETING: "hello" },
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          slug: "everything",
          runtime: "process",
          sandboxed: true,
          envKeys: ["GREETING"],
        });
        expect(JSON.stringify(created.body)).not.toContain("hello");
        const id = created.body.id as string;

        const running = await waitForStatus(alice, id, "running", 90_000);
        expect(running.resolvedVersion).toBe(version);
        const log = await waitForLog(alice, id, /\[system\] running/);
        expect(log).toContain(`installing @modelcontextprotocol/server-everything@${version}`);
        expect(log).toContain("starting instance");
        expect(log).toMatch(/\[system\] running/);
        expect(await processesOf(id)).not.toEqual([]);

        // Another user sees nothing of it.
        for (const path of ["", "/logs", "/metrics", "/stats", "/files"]) {
          expect((await bob.get(`/api/servers/${id}${path}`)).status).toBe(404);
        }
        expect((await bob.post(`/api/servers/${id}/stop`)).status).toBe(404);
        expect((await bob.get("/api/servers")).body.items).toEqual([]);

        const stats = await alice.get(`/api/servers/${id}/stats`);
        expect(stats.body.running).toBe(true);
        expect(stats.body.memoryBytes).toBeGreaterThan(0);
        const prometheus = (await s.client().get("/metrics")).body as string;
        expect(prometheus).toMatch(
          new RegExp(`mcphost_server_memory_bytes\\{server_id="${id}"\\} [1-9]`),
        );

        expect((await alice.post(`/api/servers/${id}/stop`)).status).toBe(202);
        await waitForStatus(alice, id, "stopped");
        expect(await processesOf(id)).toEqual([]);

        await alice.post(`/api/servers/${id}/start`);
        await waitForStatus(alice, id, "running");
        const before = await processesOf(id);
        await afterNextEvent(alice, id, "start", () => alice.post(`/api/servers/${id}/restart`));
        await waitForStatus(alice, id, "running");
        const after = await processesOf(id);
        expect(after.length).toBeGreaterThan(0);
        expect(after.some((pid) => before.includes(pid))).toBe(false);

        const events = await alice.get(`/api/servers/${id}/metrics`);
        const kinds = (events.body.items as Array<{ kind: string }>).map((e) => e.kind);
        for (const kind of ["create", "install", "start", "stop", "restart"])
          expect(kinds).toContain(kind);

        await alice.put(`/api/servers/${id}/files/notes.txt`, "hello files", {
          headers: { "content-type": "application/octet-stream" },
        });
        const filesDir = join(s.dataDir, "servers", id);
        expect(await readdir(filesDir)).not.toEqual([]);

        expect((await alice.delete(`/api/servers/${id}`)).status).toBe(202);
        await waitForGone(alice, id);
        expect(await processesOf(id)).toEqual([]);
        expect(await readdir(join(s.dataDir, "servers")).then((d) => d.includes(id))).toBe(false);
        const deletedEvents = await alice.get(`/api/servers/${id}/metrics`);
        expect(deletedEvents.status).toBe(404);
      }
    }, 180_000);

    it("runs a second reference server, pinned to the version it resolved", async () => {
      const memoryVersion = await referenceServerVersion("@modelcontextprotocol/server-memory");
      const created = await alice.post("/api/servers", {
        name: "Memory",
        source: {
          type: "npm",
          package: "@modelcontextprotocol/server-memory",
          version: memoryVersion,
        },
        transport: "stdio",
        // Counts the main instance only: session mode would add a warm spare (gateway tests cover it).
        sessionMode: "shared",
        runtime: "process",
        env: { MEMORY_FILE_PATH: "/data/memory.json" },
      });
      const running = await waitForStatus(alice, created.body.id, "running", 90_000);
      expect(running.resolvedVersion).toBe(memoryVersion);
      await alice.delete(`/api/servers/${created.body.id}`);
      await waitForGone(alice, created.body.id);
    }, 120_000);
  },
);
