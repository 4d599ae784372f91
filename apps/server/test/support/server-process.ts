import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./test-server.js";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs `main.ts` as its own process, exactly as `npm start` would, with the given environment. */
export function spawnServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | string>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => out, exited };
}

/** Starts a server process and waits until it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawnServer({ PORT: String(port), HOST: "127.0.0.1", ...env });
  const deadline = Date.now() + 30_000;
  while (!proc.output().includes("MCP Host is listening")) {
    const early = await Promise.race([
      proc.exited,
      new Promise((r) => setTimeout(() => r(undefined), 100)),
    ]);
    if (early !== undefined) throw new Error(`server exited early (${early}):\n${proc.output()}`);
    if (Date.now() > deadline) {
      proc.child.kill("SIGKILL");
      throw new Error(`server did not start:\n${proc.output()}`);
    }
  }
  return {
    ...proc,
    url: `http://127.0.0.1:${port}`,
    stop: async (signal = "SIGTERM") => {
      proc.child.kill(signal);
      return proc.exited;
    },
  };
}
