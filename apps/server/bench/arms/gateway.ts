import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, signUp } from "../../test/support/api-client.js";
import type { Arm, Upstream } from "./arm.js";
import { freePort, startChild } from "./child-process.js";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/**
 * A2: MCP Host's gateway in front of A1. A whole MCP Host runs as its own process, exactly as
 * `npm start` runs it (through tsx rather than the build, so a fresh clone needs no build; the code
 * that runs is the same once loaded), with its production defaults: embedded PGlite on disk,
 * `info` logging (one access-log line per request, to a file), tracing of every MCP request.
 * The upstream is registered as a `remote` server with `allowPrivateNetwork` (an admin's right;
 * the first account is admin), which the gateway reverse-proxies; the client sends the server's
 * own key as a Bearer, as a deployed client would.
 */
export function gatewayArm(
  upstream: Upstream,
  options: { workDir: string; profile: boolean },
): Arm {
  return {
    name: "A2",
    label: "MCP Host gateway → A1",
    async start() {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const profileDir = options.profile ? join(options.workDir, "a2-profile") : undefined;
      if (profileDir) await mkdir(profileDir, { recursive: true });
      const child = await startChild({
        command: process.execPath,
        args: [
          ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
          "--import",
          "tsx",
          MAIN,
        ],
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          HOST: "127.0.0.1",
          NODE_ENV: "production",
          LOG_LEVEL: "info",
          MCPHOST_DATA_DIR: join(options.workDir, "a2-data"),
          MCPHOST_PUBLIC_URL: url,
          MCPHOST_SECRET_KEY: randomBytes(32).toString("hex"),
        },
        logFile: join(options.workDir, "a2-gateway.log"),
        ready: /MCP Host is listening/,
      });
      try {
        const endpoint = await registerUpstream(url, upstream.url);
        return {
          ...endpoint,
          pid: child.pid,
          profileDir,
          close: () => child.stop(),
        };
      } catch (err) {
        await child.stop();
        throw new Error(`${(err as Error).message}\n${child.output().slice(-2000)}`);
      }
    },
  };
}

/** Registers the first (admin) account, then the upstream as a remote server; waits until it runs. */
async function registerUpstream(baseUrl: string, upstreamUrl: string) {
  const { client } = await signUp(new ApiClient(baseUrl, baseUrl), "bench@example.com");
  const created = await client.post("/api/servers", {
    name: "bench-echo",
    source: { type: "remote", url: upstreamUrl, allowPrivateNetwork: true },
  });
  if (created.status !== 201)
    throw new Error(`creating the remote server failed: ${JSON.stringify(created.body)}`);
  const { id, mcpUrl, apiKey } = created.body as { id: string; mcpUrl: string; apiKey: string };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await client.get(`/api/servers/${id}`);
    if (body.status === "running") break;
    if (body.status === "error" || Date.now() > deadline)
      throw new Error(`the remote server did not turn running: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: mcpUrl, headers: { authorization: `Bearer ${apiKey}` } };
}
