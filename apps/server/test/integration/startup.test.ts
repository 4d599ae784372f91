import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, startServerProcess } from "../support/server-process.js";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "mcphost-startup-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("starting the server", () => {
  it("refuses to start with DATABASE_URL but no MCPHOST_SECRET_KEY, naming the setting", async () => {
    const proc = spawnServer({
      DATABASE_URL: "postgres://localhost:1/none",
      MCPHOST_DATA_DIR: dataDir,
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain("MCPHOST_SECRET_KEY is required when DATABASE_URL is set");
  });

  it("generates and keeps a secret key in the data folder, so sessions survive a restart", async () => {
    const first = await startServerProcess({ MCPHOST_DATA_DIR: dataDir });
    expect(first.output()).toContain("generated a secret key and stored it in the data folder");
    const keyFile = join(dataDir, "secret-key");
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, "utf8");
    expect(first.output()).not.toContain(key.trim());

    const res = await fetch(`${first.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "persist@example.com", password: "correct horse battery" }),
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.getSetCookie()[0]?.split(";")[0] as string;
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess({ MCPHOST_DATA_DIR: dataDir });
    try {
      expect(second.output()).not.toContain("generated a secret key");
      const me = await fetch(`${second.url}/api/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { email: string }).email).toBe("persist@example.com");
    } finally {
      await second.stop();
    }
  });

  it("refuses a second control plane on the same data folder, and takes over a stale lock", async () => {
    const first = await startServerProcess({ MCPHOST_DATA_DIR: dataDir });
    const second = spawnServer({ MCPHOST_DATA_DIR: dataDir, PORT: "1" });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`is in use by another MCP Host (pid ${first.child.pid})`);
    first.child.kill("SIGKILL"); // leaves its lock behind
    await first.exited;
    const third = await startServerProcess({ MCPHOST_DATA_DIR: dataDir });
    expect(await third.stop()).toBe(0);
  });

  it("finishes an in-flight request on SIGTERM, then exits 0", async () => {
    const server = await startServerProcess({ MCPHOST_DATA_DIR: dataDir });
    const body = JSON.stringify({
      email: "draining@example.com",
      password: "correct horse battery",
    });
    const { hostname, port } = new URL(server.url);
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path: "/api/auth/register",
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      // Half the body now: the request is in flight when the signal arrives.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });
    expect(await response).toBe(201);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("shutting down");
  });
});
