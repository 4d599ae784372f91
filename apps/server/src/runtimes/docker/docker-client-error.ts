/**
 * Failures of the Docker client, reduced to the few kinds the runtime acts on. dockerode reports
 * HTTP statuses and socket errors in several shapes; this is the one place that knows them.
 */
export type DockerFailure = "unreachable" | "not-found" | "conflict" | "not-modified" | "other";

export class DockerClientError extends Error {
  constructor(
    readonly kind: DockerFailure,
    message: string,
  ) {
    super(message);
    this.name = "DockerClientError";
  }
}

/** Network errors that mean "the engine is not there", as opposed to "the engine said no". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ABORT_ERR",
]);

export function toClientError(err: unknown): DockerClientError {
  if (err instanceof DockerClientError) return err;
  const e = err as {
    statusCode?: number;
    code?: string;
    json?: { message?: string };
    message?: string;
  };
  // Streamed calls (pull) leave `json` unset; drop dockerode's "(HTTP code 500) server error - ".
  const message = (e.json?.message ?? e.message ?? String(err))
    .replace(/^\(HTTP code \d+\) [^-]*- /, "")
    .trim();
  if (e.code && UNREACHABLE_CODES.has(e.code)) return new DockerClientError("unreachable", message);
  if (e.statusCode === 404) return new DockerClientError("not-found", message);
  if (e.statusCode === 409) return new DockerClientError("conflict", message);
  if (e.statusCode === 304) return new DockerClientError("not-modified", message);
  return new DockerClientError("other", message);
}

/** Wraps a call so that whatever it throws leaves as a DockerClientError. */
export function guard<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toClientError(err);
    }
  };
}
