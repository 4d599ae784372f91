import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, SERVER_ID_LABEL } from "../../src/domain/servers/server.js";
import type { LaunchSpec, Program } from "../../src/runtimes/runtime.js";

/**
 * A tiny "npm package" used by the runtime tests: one CommonJS `index.js` using only Node's
 * built-ins, so it runs with the host's node (process runtime) and in a stock Node image (docker).
 * Its behaviour is chosen by its first argument:
 *
 * - `stdio-echo`: answers each JSON line on stdin with `{"echo": <message>}` on stdout; logs
 *   "ready" to stderr; exits when stdin closes.
 * - `http <port>`: serves GET /health with `{ ok, greeting: $GREETING }`; logs "listening on
 *   <port>" to stdout.
 * - `exit <code>`: exits at once with that code.
 * - `ignore-sigterm`: logs "got SIGTERM" on SIGTERM but keeps running.
 * - `probe`: prints one stderr line `PROBE <json>` describing what it can see (see ProbeReport),
 *   then exits 0.
 * - `write-data <name> <text>`: writes `<data dir>/<name>`, then exits 0.
 * - `eat-memory <MiB>`: allocates and touches that many MiB, logs "allocated", exits 0.
 * - `spawn-child <json env>`: starts a child node (that idles) with exactly that environment,
 *   logs "spawned <pid>", and idles too.
 *
 * The data folder is `$MCPHOST_DATA_DIR` when set (unsandboxed process runtime), else `/data`.
 */
const FIXTURE_SOURCE = String.raw`"use strict";
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

const [mode, ...rest] = process.argv.slice(2);
const dataDir = process.env.MCPHOST_DATA_DIR || "/data";
const keepAlive = () => setInterval(() => {}, 1 << 30);

function readableMap(paths) {
  const result = {};
  for (const p of paths) {
    try {
      fs.readFileSync(p);
      result[p] = true;
    } catch {
      result[p] = false;
    }
  }
  return result;
}

function dataFiles() {
  try {
    const files = {};
    for (const name of fs.readdirSync(dataDir)) {
      try {
        files[name] = fs.readFileSync(path.join(dataDir, name), "utf8").slice(0, 1000);
      } catch {
        files[name] = null;
      }
    }
    return files;
  } catch {
    return null;
  }
}

function tryChown() {
  const file = path.join(os.tmpdir(), "chown-probe-" + process.pid);
  try {
    fs.writeFileSync(file, "x");
    fs.chownSync(file, 12345, 12345);
    return "ok";
  } catch (error) {
    return error.code || String(error);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function tryConnect(target, done) {
  if (!target) return done(null);
  const [host, port] = [target.slice(0, target.lastIndexOf(":")), target.slice(target.lastIndexOf(":") + 1)];
  const socket = net.connect({ host, port: Number(port) });
  const finish = (result) => {
    socket.destroy();
    done(result);
  };
  socket.setTimeout(2000, () => finish("ETIMEDOUT"));
  socket.on("connect", () => finish("connected"));
  socket.on("error", (error) => finish(error.code || String(error)));
}

const modes = {
  "stdio-echo"() {
    const lines = readline.createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        message = line;
      }
      process.stdout.write(JSON.stringify({ echo: message }) + "\n");
    });
    lines.on("close", () => process.exit(0));
    console.error("ready");
  },
  http() {
    const port = Number(rest[0]);
    const server = http.createServer((req, res) => {
      if (req.method === "GET" && req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, greeting: process.env.GREETING ?? null }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    server.listen(port, "0.0.0.0", () => console.log("listening on " + port));
  },
  exit() {
    process.exit(Number(rest[0] ?? 0));
  },
  "ignore-sigterm"() {
    process.on("SIGTERM", () => console.error("got SIGTERM"));
    console.error("ready");
    keepAlive();
  },
  probe() {
    const paths = (process.env.PROBE_PATHS || "").split(",").filter(Boolean);
    tryConnect(process.env.PROBE_CONNECT, (connect) => {
      const report = {
        readable: readableMap(paths),
        dataDir,
        dataFiles: dataFiles(),
        envKeys: Object.keys(process.env).sort(),
        cwd: process.cwd(),
        chown: tryChown(),
        connect,
      };
      console.error("PROBE " + JSON.stringify(report));
      process.exit(0);
    });
  },
  "write-data"() {
    fs.writeFileSync(path.join(dataDir, rest[0]), rest[1] ?? "");
    console.error("wrote " + rest[0]);
  },
  "eat-memory"() {
    const chunks = [];
    for (let i = 0; i < Number(rest[0]); i++) {
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      chunk.fill(i & 0xff);
      chunks.push(chunk);
    }
    console.error("allocated " + chunks.length + " MiB");
  },
  "eat-heap"() {
    // JavaScript objects, not Buffers: bounded by V8's heap limit rather than only by the cgroup.
    const keep = [];
    for (let i = 0; i < Number(rest[0]); i++) keep.push(Array.from({ length: 1024 * 32 }, (_, j) => ({ j })));
    console.error("allocated heap " + keep.length);
  },
  "spawn-child"() {
    const { spawn } = require("node:child_process");
    const env = JSON.parse(rest[0] || "{}");
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { env, stdio: "ignore" });
    console.error("spawned " + child.pid);
    keepAlive();
  },
};

const run = modes[mode];
if (!run) {
  console.error("unknown fixture mode: " + mode);
  process.exit(64);
}
run();
`;

/** What the `probe` mode reports (the JSON after "PROBE " on stderr). */
export interface ProbeReport {
  /** For each path in PROBE_PATHS: whether reading it succeeded. */
  readable: Record<string, boolean>;
  dataDir: string;
  /** File name -> content (first 1000 chars) in the data folder; null when it cannot be listed. */
  dataFiles: Record<string, string | null> | null;
  envKeys: string[];
  cwd: string;
  /** "ok", or the error code of chown-ing a file in the temp folder to another user. */
  chown: string;
  /** For PROBE_CONNECT=host:port: "connected" or the error code; null when not asked. */
  connect: string | null;
}

export interface FixturePackage {
  /** Host folder holding `index.js` (and a package.json), world-readable. */
  packageDir: string;
  entry: string;
  cleanup(): Promise<void>;
}

/** Writes the fixture package into a fresh temp folder. */
export async function createFixturePackage(): Promise<FixturePackage> {
  const packageDir = await mkdtemp(join(tmpdir(), "mcphost-fixture-"));
  await writeFile(join(packageDir, "index.js"), FIXTURE_SOURCE);
  await writeFile(
    join(packageDir, "package.json"),
    `${JSON.stringify({ name: "mcphost-fixture", version: "0.0.0", main: "index.js" })}\n`,
  );
  // mkdtemp makes 0700 folders; a container may run the fixture as a non-root user.
  await chmod(packageDir, 0o755);
  return {
    packageDir,
    entry: "index.js",
    cleanup: () => rm(packageDir, { recursive: true, force: true }),
  };
}

/** The `node-package` program running the fixture in the given mode. */
export function fixtureProgram(fixture: FixturePackage, args: string[]): Program {
  return { kind: "node-package", packageDir: fixture.packageDir, entry: fixture.entry, args };
}

/** A fresh, world-writable folder to use as an instance's `filesDir`. */
export async function createFilesDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mcphost-files-"));
  await chmod(dir, 0o777);
  return dir;
}

/**
 * A stdio launch spec for a test instance with a fresh files folder (the caller removes
 * `spec.filesDir`). `labels` are added to the server-id label; `more` overrides any field.
 */
export async function testLaunchSpec(
  program: Program,
  labels: Record<string, string>,
  more: Partial<LaunchSpec> = {},
): Promise<LaunchSpec> {
  const serverId = more.serverId ?? `srv_test${randomBytes(6).toString("hex")}`;
  return {
    serverId,
    instanceId: `ins_test${randomBytes(6).toString("hex")}`,
    labels: { [SERVER_ID_LABEL]: serverId, ...labels },
    program,
    env: {},
    transport: { type: "stdio" },
    limits: DEFAULT_LIMITS,
    network: "none",
    gpu: false,
    filesDir: await createFilesDir(),
    ...more,
  };
}
