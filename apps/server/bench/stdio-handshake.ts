import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";
import { findResponse, initializeBody, notificationBody, requestBody } from "./mcp-wire.js";

/** A command that starts a stdio MCP server, as a runtime would spawn it. */
export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  /**
   * Written to file descriptor 3 and closed, when set: bwrap reads the sandboxed program's
   * environment there (`--args 3`), as the process runtime passes it.
   */
  fd3?: string | undefined;
}

export interface HandshakeTiming {
  /** From just before the spawn to the `tools/list` answer, in ms. */
  ms: number;
  /** Tools the server listed (a real answer has some). */
  tools: number;
}

/**
 * Splits newline-delimited JSON-RPC (the MCP stdio framing) fed in arbitrary chunks into lines.
 */
export class LineReader {
  #pending = "";

  push(chunk: string): string[] {
    this.#pending += chunk;
    const lines = this.#pending.split("\n");
    this.#pending = lines.pop() as string;
    return lines.map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  }
}

/**
 * Spawns a stdio server and times what a client pays to use it from nothing: the spawn, then
 * `initialize`, `notifications/initialized` and `tools/list` on the raw wire (no SDK, like the
 * HTTP side of the comparison). `initialize` is written right after the spawn, as an SDK client
 * does; the pipe holds it until the server reads. The server is stopped afterwards, untimed:
 * stdin closed, then SIGTERM, then SIGKILL after `graceMs`.
 */
export async function timeStdioHandshake(
  launch: StdioLaunch,
  options: { timeoutMs?: number; graceMs?: number } = {},
): Promise<HandshakeTiming> {
  const started = performance.now();
  const child = spawn(launch.command, launch.args, {
    env: launch.env,
    cwd: launch.cwd,
    stdio: ["pipe", "pipe", "pipe", ...(launch.fd3 !== undefined ? (["pipe"] as const) : [])],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  child.stdin.on("error", () => {}); // a server that died is reported below, not as EPIPE
  if (launch.fd3 !== undefined) {
    const pipe = child.stdio[3] as Writable;
    pipe.on("error", () => {});
    pipe.end(launch.fd3);
  }
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    const answer = await new Promise<HandshakeTiming>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no tools/list answer within ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      child.once("error", fail);
      void exited.then(() => fail(new Error("the server exited before answering tools/list")));
      const reader = new LineReader();
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        for (const line of reader.push(chunk)) {
          if (findResponse(line, 0)) {
            child.stdin.write(notificationBody("notifications/initialized"));
            child.stdin.write("\n");
            child.stdin.write(requestBody(1, "tools/list"));
            child.stdin.write("\n");
            continue;
          }
          const listed = findResponse(line, 1);
          if (!listed) continue;
          const ms = performance.now() - started;
          clearTimeout(timer);
          if (listed.error) reject(new Error(`tools/list failed: ${listed.error.message}`));
          const tools = (listed.result as { tools?: unknown[] } | undefined)?.tools ?? [];
          resolve({ ms, tools: tools.length });
        }
      });
      child.stdin.write(initializeBody(0));
      child.stdin.write("\n");
    });
    return answer;
  } catch (err) {
    throw new Error(`${launch.command}: ${(err as Error).message}\n${stderr.slice(-1500)}`);
  } finally {
    child.stdin.end();
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.graceMs ?? 5000);
    await exited;
    clearTimeout(timer);
  }
}
