import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { waitForStatus } from "../support/servers-api.js";
import { processRuntime, skipWithoutBubblewrap } from "../support/test-runtimes.js";
import { freePort, startTestServer, type TestServer } from "../support/test-server.js";

/**
 * An http server that stops accepting connections while its process lives on (a wedged server),
 * then comes back when /data/up appears.
 */
const FLAKY_HTTP = `
const fs = require("fs");
const http = require("http");
const port = Number(process.env.PORT);
let server = http.createServer((q, r) => r.end("ok")).listen(port);
setTimeout(() => server.close(), 1500);
const poll = setInterval(() => {
  if (fs.existsSync("/data/up")) { clearInterval(poll); server = http.createServer((q, r) => r.end("ok")).listen(port); }
}, 100);
`;

describe.skipIf(skipWithoutBubblewrap)(
  `health checks${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    let s: TestServer;
    let admin: ApiClient;
    beforeAll(async () => {
      s = await startTestServer({
        health: { intervalMs: 200, failuresBeforeUnhealthy: 3 },
        runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
      });
      admin = (await signUp(s.client(), "admin@example.com")).client;
    }, 60_000);
    afterAll(() => s?.close());

    it("calls an http server that stops answering unhealthy, and running again when it answers", async () => {
      const port = await freePort();
      const created = await admin.post("/api/servers", {
        name: "Wedged",
        source: { type: "command", command: process.execPath, args: ["-e", FLAKY_HTTP] },
        transport: { type: "http", port },
        runtime: "process",
      });
      const id = created.body.id as string;
      await waitForStatus(admin, id, "running", 30_000);
      const sick = await waitForStatus(admin, id, "unhealthy", 10_000);
      expect(sick.statusReason).toMatch(new RegExp(`not accepting connections on port ${port}`));
      await admin.put(`/api/servers/${id}/files/up`, "1", {
        headers: { "content-type": "application/octet-stream" },
      });
      const healed = await waitForStatus(admin, id, "running", 10_000);
      expect(healed.statusReason).toBeNull();
      await admin.delete(`/api/servers/${id}`);
    }, 60_000);
  },
);
