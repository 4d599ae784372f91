import type { StdioStreams } from "../runtimes/runtime.js";

/** The id of the readiness ping, which no client's request can have (theirs reach a session). */
export const READINESS_PING_ID = "mcphost-readiness-ping";
/**
 * Most output kept while waiting for the answer. A server writing more than this to stdout
 * before answering is left to its first session (which reads on) instead of filling memory.
 */
const MAX_KEPT_BYTES = 1024 * 1024;

export interface PendingPing {
  /** Resolves when the server answered (a result or an error: either way it speaks JSON-RPC). */
  answered: Promise<void>;
  /**
   * Stops waiting (a session takes the instance): whatever the server wrote is left on its
   * stdout for the session's transport. Rejects `answered` if it had not settled, and then says
   * true: the answer may still come, to whoever reads the stream next.
   */
  cancel(): boolean;
}

/**
 * Sends MCP's `ping` to a stdio instance nobody has initialized yet (the specification lets a
 * client ping before `initialize`), and reads its stdout until the answer. The instance stays
 * uninitialized, so the client that takes it afterwards sends its own `initialize` as it would
 * to a server it started itself. Every other line the server wrote meanwhile is put back on the
 * stream, in order, and the stream is paused for the session's transport to resume.
 */
export function pingBeforeInitialize(streams: StdioStreams): PendingPing {
  const { stdin, stdout } = streams;
  let pending: Buffer = Buffer.alloc(0);
  /** Complete lines seen so far that were not the answer, to be put back. */
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let done = false;
  let settle: (err?: Error, ended?: boolean) => boolean = () => false;
  const answered = new Promise<void>((resolve, reject) => {
    settle = (err, ended = false) => {
      if (done) return false;
      done = true;
      detach(ended);
      err ? reject(err) : resolve();
      return true;
    };
  });
  answered.catch(() => {}); // a cancelled ping is nobody's error

  const onData = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let end = pending.indexOf(10); end !== -1; end = pending.indexOf(10)) {
      const line = pending.subarray(0, end + 1);
      pending = pending.subarray(end + 1);
      if (isPingAnswer(line)) {
        settle();
        return;
      }
      kept.push(line);
      keptBytes += line.length;
    }
    if (keptBytes + pending.length > MAX_KEPT_BYTES) {
      settle(new Error("The instance wrote over 1 MiB without answering a ping"));
    }
  };
  const onEnd = () => settle(new Error("The instance ended before it answered a ping"), true);
  const onError = (err: Error) => settle(err, true);

  /** Stops reading; puts back what was read unless the stream is over (nobody reads on then). */
  function detach(ended: boolean) {
    stdout.off("data", onData);
    stdout.off("end", onEnd);
    stdout.off("close", onEnd);
    stdout.off("error", onError);
    stdout.pause();
    const rest = Buffer.concat([...kept, pending]);
    kept.length = 0;
    pending = Buffer.alloc(0);
    if (rest.length && !ended) stdout.unshift(rest);
  }

  stdout.on("data", onData);
  stdout.once("end", onEnd);
  stdout.once("close", onEnd);
  stdout.once("error", onError);
  stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: READINESS_PING_ID, method: "ping" })}\n`);
  return {
    answered,
    cancel: () => settle(new Error("The ping was cancelled")),
  };
}

function isPingAnswer(line: Buffer): boolean {
  // Cheap test first: most lines before the answer are log notifications.
  if (line.indexOf(READINESS_PING_ID) === -1) return false;
  try {
    const message = JSON.parse(line.toString("utf8")) as { id?: unknown; method?: unknown };
    return message.id === READINESS_PING_ID && message.method === undefined;
  } catch {
    return false;
  }
}
