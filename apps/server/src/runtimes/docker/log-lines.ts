import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { LogSink, LogStream } from "../runtime.js";

/** Longest line kept; longer ones are cut into pieces of this size so one write cannot flood. */
export const MAX_LINE_BYTES = 8 * 1024;

/**
 * Sends `stream`'s text to `sink` line by line (without the newline, `\r\n` handled). A last line
 * without a newline is sent when the stream ends. Resolves when the stream has ended or failed.
 */
export function pipeLines(stream: Readable, name: LogStream, sink: LogSink): Promise<void> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (line: string) =>
    sink({ stream: name, line: line.endsWith("\r") ? line.slice(0, -1) : line, time: new Date() });
  const drain = (text: string) => {
    pending += text;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      emitCapped(pending.slice(0, newline), emit);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
    // Without a newline in sight, flush full pieces rather than buffering without bound.
    while (Buffer.byteLength(pending) > MAX_LINE_BYTES) {
      const piece = cutAtBytes(pending, MAX_LINE_BYTES);
      emit(piece);
      pending = pending.slice(piece.length);
    }
  };
  return new Promise((resolve) => {
    stream.on("data", (chunk: Buffer) => drain(decoder.write(chunk)));
    const finish = () => {
      drain(decoder.end());
      if (pending.length > 0) emit(pending);
      pending = "";
      resolve();
    };
    stream.once("end", finish);
    stream.once("error", finish);
  });
}

function emitCapped(line: string, emit: (line: string) => void): void {
  let rest = line;
  while (Buffer.byteLength(rest) > MAX_LINE_BYTES) {
    const piece = cutAtBytes(rest, MAX_LINE_BYTES);
    emit(piece);
    rest = rest.slice(piece.length);
  }
  emit(rest);
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character. */
function cutAtBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
