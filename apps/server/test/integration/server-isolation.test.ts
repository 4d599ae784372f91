import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { ensureTestNodeImage } from "../support/docker-images.js";
import { waitForLog, waitForStatus } from "../support/servers-api.js";
import {
  dockerRuntime,
  processRuntime,
  skipWithoutBubblewrap,
  skipWithoutDocker,
} from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** Reports, on stderr, what the server can see; then stays up. */
const probe = (secretPath: string) => `
const fs = require("fs");
const canRead = (p) => { try { fs.readFileSync(p); return "readable"; } catch { return "unreadable"; } };
const report = {
  secret: canRead(${JSON.stringify(secretPath)}),
  notes: (() => { try { return fs.readFileSync("/data/notes.txt", "utf8"); } catch (e) { return "missing"; } })(),
  envKeys: Object.keys(process.env).filter((k) => k.startsWith("MCPHOST_SECRET") || k === "CANARY_ENV"),
};
fs.writeFileSync("/data/written-by-server.txt", "hi host");
console.error("PROBE " + JSON.stringify(report));
setInterval(() => {}, 1000);
`;

async function runProbe(client: ApiClient, body: Record<string, unknown>) {
  const created = await client.post("/api/servers", { ...body, transport: "stdio", start: false });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const upload = await client.put(`/api/servers/${id}/files/notes.txt`, "notes from the user", {
    headers: { "content-type": "application/octet-stream" },
  });
  expect(upload.status).toBe(201);
  await client.post(`/api/servers/${id}/start`);
  await waitForStatus(client, id, "running", 60_000);
  const log = await waitForLog(client, id, "PROBE ");
  const report = JSON.parse(log.slice(log.indexOf("PROBE ") + 6).split("\n")[0] as string);
  const written = await client.get(`/api/servers/${id}/files/written-by-server.txt`);
  await client.delete(`/api/servers/${id}`);
  return { report, written };
}

/** A canary in the data folder where the real secret key lives, and one in the environment. */
async function plantCanaries(dataDir: string) {
  const secretPath = join(dataDir, "secret-key");
  await writeFile(secretPath, "canary-secret-key-0123456789abcdef0123456789", { mode: 0o600 });
  process.env.CANARY_ENV = "control-plane-only";
  return secretPath;
}

describe.skipIf(skipWithoutBubblewrap)(
  `isolation on the process runtime${skipWithoutBubblewrap ? ` (${skipWithoutBubblewrap})` : ""}`,
  () => {
    let s: TestServer;
    let admin: ApiClient;
    beforeAll(async () => {
      s = await startTestServer({
        readiness: { stdioGraceMs: 300 },
        runtimesFor: (d) => ({ process: processRuntime(d) }),
      });
      admin = (await signUp(s.client(), "admin@example.com")).client;
    }, 60_000);
    afterAll(() => s?.close());

    it("cannot read the control plane's files or environment, and sees its own files at /data", async () => {
      const secretPath = await plantCanaries(s.dataDir);
      const { report, written } = await runProbe(admin, {
        name: "Probe",
        source: { type: "command", command: process.execPath, args: ["-e", probe(secretPath)] },
        runtime: "process",
      });
      expect(report).toEqual({ secret: "unreadable", notes: "notes from the user", envKeys: [] });
      expect(written.body).toBe("hi host");
    }, 90_000);
  },
);

describe.skipIf(skipWithoutDocker)(
  `isolation on Docker${skipWithoutDocker ? ` (${skipWithoutDocker})` : ""}`,
  () => {
    let s: TestServer;
    let admin: ApiClient;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const d = await dockerRuntime();
      cleanup = d.cleanup;
      s = await startTestServer({
        readiness: { stdioGraceMs: 300 },
        runtimesFor: () => ({ docker: d.runtime }),
      });
      admin = (await signUp(s.client(), "admin@example.com")).client;
    }, 60_000);
    afterAll(async () => {
      await s?.close();
      await cleanup?.();
    });

    it("cannot read the control plane's files or environment, and sees its own files at /data", async () => {
      const secretPath = await plantCanaries(s.dataDir);
      const image = await ensureTestNodeImage();
      const { report, written } = await runProbe(admin, {
        name: "Probe",
        source: { type: "image", image, command: ["/usr/local/bin/node", "-e", probe(secretPath)] },
        runtime: "docker",
      });
      expect(report).toEqual({ secret: "unreadable", notes: "notes from the user", envKeys: [] });
      expect(written.body).toBe("hi host");
    }, 90_000);
  },
);
