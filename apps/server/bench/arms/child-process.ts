import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** Every child the suite started and has not stopped yet, so an interrupted run leaves none. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    process.exit(code);
  });
}

export interface Child {
  pid: number | undefined;
  /** What the child wrote so far (its log file). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a server process with its stdout and stderr going to `logFile` (a file, not a pipe: a
 * server that logs every request must never block on a reader that falls behind, and reading it
 * would cost the client's CPU), then waits until `ready` matches its output.
 */
export async function startChild(options: {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  logFile: string;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<Child> {
  const log = openSync(options.logFile, "w");
  const child = spawn(options.command, options.args, {
    env: options.env,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const output = () => readFileSync(options.logFile, "utf8");
  const handle: Child = {
    pid: child.pid,
    output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let done = false;
  void exited.then(() => (done = true));
  while (!options.ready.test(output())) {
    if (done)
      throw new Error(`${options.command} exited before it was ready:\n${output().slice(-2000)}`);
    if (Date.now() > deadline) {
      await handle.stop(0);
      throw new Error(`${options.command} was not ready in time:\n${output().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle;
}

/**
 * A port free right now on 127.0.0.1 (the one in test/support would drag the whole app into the
 * client process, which should stay as small as the load it makes).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts one of the benchmark's own servers (a TypeScript file, through tsx) that listens on a
 * port of its choosing and prints "<what> listening on <port>" once it accepts connections.
 */
export async function startScriptServer(options: {
  script: string;
  what: string;
  env?: Record<string, string>;
  logFile: string;
}): Promise<{ child: Child; port: number }> {
  const listening = new RegExp(
    `${options.what.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} listening on (\\d+)`,
  );
  const child = await startChild({
    command: process.execPath,
    args: ["--import", "tsx", options.script],
    env: { PATH: process.env.PATH, ...options.env },
    logFile: options.logFile,
    ready: listening,
  });
  return { child, port: Number(listening.exec(child.output())?.[1]) };
}
