import type { Readable } from "node:stream";
import type { LogSink } from "../runtime.js";

/** Longest line kept; a server printing megabytes without a newline must not exhaust memory. */
export const MAX_LINE_BYTES = 8 * 1024;
export const TRUNCATED_MARK = " [truncated]";

/**
 * Splits a process's output into timestamped lines for the sink. Lines longer than
 * MAX_LINE_BYTES are cut and end with TRUNCATED_MARK; the rest of such a line is dropped.
 * Resolves once the stream has ended (or failed), after the last partial line was sent.
 */
export function forwardLines(
  stream: Readable,
  name: "stdout" | "stderr",
  sink: LogSink,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping = false;

  const emit = (bytes: Buffer, truncated: boolean) => {
    const text = bytes.toString("utf8").replace(/\r$/, "");
    try {
      sink({ stream: name, line: truncated ? text + TRUNCATED_MARK : text, time: new Date() });
    } catch {
      // A failing sink must not take the instance's output handling down with it.
    }
  };

  const onData = (chunk: Buffer) => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (!dropping) {
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes > MAX_LINE_BYTES) {
          emit(Buffer.concat(pending).subarray(0, MAX_LINE_BYTES), true);
          dropping = true;
        }
      }
      if (newline === -1) break;
      if (!dropping) emit(Buffer.concat(pending), false);
      pending = [];
      pendingBytes = 0;
      dropping = false;
      start = newline + 1;
    }
    if (dropping) {
      pending = [];
      pendingBytes = 0;
    }
  };

  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      stream.off("data", onData);
      if (!dropping && pendingBytes > 0) emit(Buffer.concat(pending), false);
      pending = [];
      pendingBytes = 0;
      resolve();
    };
    stream.on("data", onData);
    stream.once("end", finish);
    stream.once("error", finish);
    stream.once("close", finish);
  });
}

/** Writes the runtime's own line about an instance ("started pid 12", "exited with code 3"). */
export function systemLine(sink: LogSink | undefined, line: string): void {
  try {
    sink?.({ stream: "system", line, time: new Date() });
  } catch {
    // The sink is the caller's; its failure must not break the runtime's bookkeeping.
  }
}
