import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { idleServer, waitForLog, waitForStatus } from "../support/servers-api.js";
import { readSse } from "../support/sse-client.js";
import { processRuntime, skipWithoutBubblewrap } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** A server that writes a numbered line to stderr every 20 ms. */
const CHATTY = `let n = 0; setInterval(() => console.error("tick " + ++n), 20);`;

describe.skipIf(skipWithoutBubblewrap)(
  `live streams${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    let s: TestServer;
    let admin: ApiClient;
    let cookie: string;
    beforeAll(async () => {
      s = await startTestServer({
        readiness: { stdioGraceMs: 200 },
        runtimesFor: (d) => ({ process: processRuntime(d) }),
      });
      admin = (await signUp(s.client(), "admin@example.com")).client;
      cookie = `mcphost_session=${admin.cookie("mcphost_session")}`;
    }, 60_000);
    afterAll(() => s?.close());

    it("tails logs live, and resumes after a reconnect without gaps or repeats", async () => {
      const created = await admin.post("/api/servers", {
        name: "Chatty",
        source: { type: "command", command: process.execPath, args: ["-e", CHATTY] },
        transport: "stdio",
        runtime: "process",
      });
      const id = created.body.id as string;
      await waitForLog(admin, id, "tick 5");
      const url = `${s.url}/api/servers/${id}/logs/stream`;

      const first = await readSse(
        url,
        { cookie },
        (m) => m.filter((x) => x.data.line.startsWith("tick")).length >= 20,
      );
      expect(first.every((m) => m.event === "log")).toBe(true);
      const lastId = first.at(-1)?.id as string;
      // Lines keep coming while we are away.
      await new Promise((r) => setTimeout(r, 300));
      const second = await readSse(url, { cookie, "last-event-id": lastId }, (m) => m.length >= 30);

      const ids = [...first, ...second].map((m) => Number(m.id));
      const history = await admin.get(
        `/api/servers/${id}/logs?after=${(ids[0] as number) - 1}&limit=1000`,
      );
      const stored = (history.body.items as Array<{ id: number }>)
        .map((l) => l.id)
        .filter((x) => x <= (ids.at(-1) as number));
      expect(ids).toEqual(stored); // every stored line exactly once, in order
      expect(new Set(ids).size).toBe(ids.length);
      await admin.delete(`/api/servers/${id}`);
    }, 60_000);

    it("pushes status changes to the per-server and the all-servers streams", async () => {
      const created = await admin.post(
        "/api/servers",
        idleServer("Status watch", { start: false }),
      );
      const id = created.body.id as string;
      const all = readSse(`${s.url}/api/servers/events`, { cookie }, (m) =>
        m.some((x) => x.data.details.to === "running"),
      );
      const one = readSse(`${s.url}/api/servers/${id}/events`, { cookie }, (m) =>
        m.some((x) => x.data.details.to === "running"),
      );
      await new Promise((r) => setTimeout(r, 200)); // both subscribed
      await admin.post(`/api/servers/${id}/start`);
      for (const stream of [await all, await one]) {
        const path = stream.filter((m) => m.data.serverId === id).map((m) => m.data.details.to);
        expect(path).toEqual(["starting", "running"]);
        expect(stream.every((m) => m.event === "status")).toBe(true);
      }
      await waitForStatus(admin, id, "running");
      // Usage events replay from a Last-Event-ID.
      const usage = await readSse(
        `${s.url}/api/servers/${id}/metrics/stream`,
        { cookie, "last-event-id": "0" },
        (m) => m.some((x) => x.data.kind === "start" && x.data.details.instanceId),
      );
      expect(usage.map((m) => m.data.kind)).toEqual(expect.arrayContaining(["create", "start"]));
      expect(usage.some((m) => m.data.kind === "status")).toBe(false);
      await admin.delete(`/api/servers/${id}`);
    }, 60_000);

    it("tells the all-servers stream when a deleted server is gone, so lists can drop it", async () => {
      const created = await admin.post("/api/servers", idleServer("Short-lived", { start: false }));
      const id = created.body.id as string;
      const all = readSse(`${s.url}/api/servers/events`, { cookie }, (m) =>
        m.some((x) => x.data.serverId === id && x.data.details.to === "removed"),
      );
      await new Promise((r) => setTimeout(r, 200)); // subscribed
      await admin.delete(`/api/servers/${id}`);
      const path = (await all).filter((m) => m.data.serverId === id).map((m) => m.data.details);
      expect(path).toEqual([
        { from: created.body.status, to: "removing" },
        { from: "removing", to: "removed" },
      ]);
      expect((await admin.get(`/api/servers/${id}`)).status).toBe(404);
    }, 30_000);

    it("does not stream another user's server", async () => {
      const { client: eve } = await signUp(s.client(), "eve@example.com");
      const created = await admin.post("/api/servers", idleServer("Private", { start: false }));
      const eveCookie = `mcphost_session=${eve.cookie("mcphost_session")}`;
      for (const path of ["logs/stream", "events", "metrics/stream"]) {
        const res = await fetch(`${s.url}/api/servers/${created.body.id}/${path}`, {
          headers: { cookie: eveCookie },
        });
        expect(res.status).toBe(404);
      }
      const eveAll = readSse(
        `${s.url}/api/servers/events`,
        { cookie: eveCookie },
        () => false,
        2500,
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin.post(`/api/servers/${created.body.id}/start`);
      expect((await eveAll).filter((m) => m.data.serverId === created.body.id)).toEqual([]);
      await admin.delete(`/api/servers/${created.body.id}`);
    }, 30_000);
  },
);
