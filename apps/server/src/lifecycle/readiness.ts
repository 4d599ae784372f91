import { connect } from "node:net";
import type { LaunchSpec, Runtime } from "../runtimes/runtime.js";

export interface ReadinessOptions {
  /** A stdio server counts as ready once it has stayed up this long. */
  stdioGraceMs: number;
  /** How long an http server may take to accept connections. */
  httpTimeoutMs: number;
}

export const DEFAULT_READINESS: ReadinessOptions = { stdioGraceMs: 1000, httpTimeoutMs: 60_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a TCP connection to host:port opens within a second. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/**
 * Waits until a started instance can serve: a stdio server that stays up through the grace period,
 * an http server that accepts TCP connections. Stops early when the instance exits.
 */
export async function waitUntilReady(
  runtime: Runtime,
  spec: LaunchSpec,
  options: ReadinessOptions,
): Promise<"ready" | "exited" | "timeout"> {
  const exited = async () => (await runtime.inspect(spec.instanceId))?.state.state === "exited";
  if (spec.transport.type === "stdio") {
    await sleep(options.stdioGraceMs);
    return (await exited()) ? "exited" : "ready";
  }
  const deadline = Date.now() + options.httpTimeoutMs;
  while (Date.now() < deadline) {
    if (await exited()) return "exited";
    try {
      const { host, port } = await runtime.address(spec.instanceId);
      if (await canConnect(host, port)) return "ready";
    } catch {
      // not addressable yet
    }
    await sleep(200);
  }
  return "timeout";
}
