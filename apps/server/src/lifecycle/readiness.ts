import { connect } from "node:net";
import type { LaunchSpec, Runtime } from "../runtimes/runtime.js";

export interface ReadinessOptions {
  /**
   * A stdio server counts as ready once it has answered MCP's `initialize`, or, if it has not
   * by then, once it has stayed up this long.
   */
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
 * How `work` went within `ms`: "succeeded", "failed" (at once, when it failed) or "late" (still
 * going after `ms`).
 */
export function settleWithin(
  work: Promise<unknown>,
  ms: number,
): Promise<"succeeded" | "failed" | "late"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("late"), ms);
    const done = (outcome: "succeeded" | "failed") => () => {
      clearTimeout(timer);
      resolve(outcome);
    };
    work.then(done("succeeded"), done("failed"));
  });
}

/**
 * Resolves when `handshake` has succeeded or `graceMs` have passed, whichever comes first. A
 * failed handshake (the process died, or it does not speak MCP on stdio) waits out the grace.
 */
async function answeredOrGrace(handshake: (() => Promise<void>) | undefined, graceMs: number) {
  const startedAt = Date.now();
  if (handshake && (await settleWithin(handshake(), graceMs)) === "succeeded") return;
  await sleep(graceMs - (Date.now() - startedAt));
}

/**
 * Waits until a started instance can serve: a stdio server that answers MCP's `initialize`
 * (`handshake`) or stays up through the grace period, an http server that accepts TCP
 * connections. Stops early when the instance exits.
 *
 * The handshake makes a stdio server ready as soon as it can answer, a few hundred
 * milliseconds for most, instead of after the whole grace period (issue 6's deploy target). The
 * grace stays for servers that answer slowly or not at all before their first client: they are
 * called ready as before, and a server that dies at start is still caught by it.
 */
export async function waitUntilReady(
  runtime: Runtime,
  spec: LaunchSpec,
  options: ReadinessOptions,
  handshake?: () => Promise<void>,
): Promise<"ready" | "exited" | "timeout"> {
  const exited = async () => (await runtime.inspect(spec.instanceId))?.state.state === "exited";
  if (spec.transport.type === "stdio") {
    await answeredOrGrace(handshake, options.stdioGraceMs);
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
