import { type LogSink, RuntimeError } from "../runtime.js";
import type { DockerClient, PullProgress } from "./docker-client.js";
import { isFailure } from "./engine-call.js";

/** Progress within a status ("Downloading 3MB/40MB") is reported at most this often. */
const PROGRESS_INTERVAL_MS = 1_000;

/**
 * Makes `ref` present locally, pulling it when missing with progress lines on the sink (stream
 * "system"). With `refresh`, pulls even when present (a tag may have moved), and falls back to the
 * local copy when the pull fails. A failed pull without a local copy becomes IMAGE_UNAVAILABLE
 * with a reason a user can act on.
 */
export async function ensureImage(
  docker: DockerClient,
  ref: string,
  sink: LogSink,
  options: { refresh?: boolean } = {},
  now: () => number = Date.now,
): Promise<void> {
  const present = await docker.imageExists(ref);
  if (present && !options.refresh) return;
  const say = (line: string) => sink({ stream: "system", line, time: new Date() });
  if (present) {
    try {
      await pull(docker, ref, say, now);
    } catch (err) {
      if (isFailure(err, "unreachable")) throw err;
      say(`${err instanceof Error ? err.message : String(err)}; using the local copy of ${ref}`);
    }
    return;
  }
  await pull(docker, ref, say, now);
}

async function pull(
  docker: DockerClient,
  ref: string,
  say: (line: string) => void,
  now: () => number,
) {
  say(`pulling ${ref}`);
  const report = throttledProgress(say, now);
  try {
    await docker.pullImage(ref, report);
  } catch (err) {
    // An engine that went away is ENGINE_UNAVAILABLE (the caller maps it), not a bad image.
    if (isFailure(err, "unreachable")) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new RuntimeError(
      "IMAGE_UNAVAILABLE",
      `Could not pull ${ref}: ${explainPullFailure(message)}`,
    );
  }
  say(`pulled ${ref}`);
}

/**
 * One line whenever a layer changes status, plus at most one line per interval for the progress
 * within a status, so a large pull writes dozens of lines, not thousands.
 */
export function throttledProgress(
  say: (line: string) => void,
  now: () => number = Date.now,
): (event: PullProgress) => void {
  const lastStatus = new Map<string, string>();
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (!event.status) return;
    const key = event.id ?? "";
    const text = event.id ? `${event.id}: ${event.status}` : event.status;
    if (lastStatus.get(key) !== event.status) {
      lastStatus.set(key, event.status);
      lastProgressAt = now();
      say(text);
      return;
    }
    if (event.progress && now() - lastProgressAt >= PROGRESS_INTERVAL_MS) {
      lastProgressAt = now();
      say(`${text} ${event.progress}`);
    }
  };
}

/** The engine's reasons are precise but cryptic; lead with what they mean, keep the detail. */
export function explainPullFailure(message: string): string {
  const detail = message.replace(/\s+/g, " ").trim();
  if (
    /no such host|dial tcp|i\/o timeout|connection refused|network is unreachable|TLS handshake/i.test(
      detail,
    )
  ) {
    return `the registry could not be reached (${detail})`;
  }
  if (/unauthorized|authentication required|denied/i.test(detail)) {
    return `the image does not exist or the registry requires credentials (${detail})`;
  }
  if (/not found|manifest unknown|does not exist/i.test(detail)) {
    return `the image or tag does not exist (${detail})`;
  }
  if (/no matching manifest|platform/i.test(detail)) {
    return `the image has no variant for this machine's platform (${detail})`;
  }
  return detail;
}
