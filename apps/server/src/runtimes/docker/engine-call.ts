import { RuntimeError, type RuntimeErrorCode } from "../runtime.js";
import { DockerClientError } from "./docker-client-error.js";

/**
 * Runs an engine call and turns client failures into the runtime's error vocabulary: an
 * unreachable engine is a transient ENGINE_UNAVAILABLE, a missing object NOT_FOUND, anything else
 * `fallback` with `what` leading the engine's message. RuntimeErrors pass through unchanged.
 */
export async function engineCall<T>(
  endpoint: string,
  fallback: RuntimeErrorCode,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof DockerClientError)) throw err;
    if (err.kind === "unreachable") {
      throw new RuntimeError(
        "ENGINE_UNAVAILABLE",
        `Docker engine not reachable at ${endpoint}: ${err.message}`,
        true,
      );
    }
    const code = err.kind === "not-found" ? "NOT_FOUND" : fallback;
    throw new RuntimeError(code, `${what}: ${err.message}`);
  }
}

/** True when `err` is a client failure of one of the given kinds (to tolerate, e.g. "not-found"). */
export function isFailure(err: unknown, ...kinds: DockerClientError["kind"][]): boolean {
  return err instanceof DockerClientError && kinds.includes(err.kind);
}
