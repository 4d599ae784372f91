import { type Duplex, PassThrough, type Readable, Writable } from "node:stream";
import type { StdioStreams } from "../runtime.js";

/**
 * Docker's multiplexed stream format (no TTY): frames of an 8-byte header (stream type, 3 zero
 * bytes, big-endian length) and a payload. dockerode's `modem.demuxStream` does the same but never
 * ends its outputs, which callers here rely on.
 */

export interface OutputStreams {
  stdout: Readable;
  stderr: Readable;
  /** Stops following; both outputs end. */
  close(): void;
}

/** Splits a multiplexed stream; both outputs end when it ends or fails. */
export function demuxOutput(raw: Readable): OutputStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let pending: Buffer = Buffer.alloc(0);
  raw.on("data", (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const length = pending.readUInt32BE(4);
      if (pending.length < 8 + length) break;
      const payload = pending.subarray(8, 8 + length);
      // 1 is stdout, 2 stderr; 0 (stdin echo) does not occur without a TTY.
      (pending[0] === 2 ? stderr : stdout).write(payload);
      pending = pending.subarray(8 + length);
    }
  });
  const end = () => {
    stdout.end();
    stderr.end();
  };
  raw.once("end", end);
  raw.once("close", end);
  raw.on("error", () => raw.destroy());
  return { stdout, stderr, close: () => raw.destroy() };
}

/**
 * One hijacked attach socket becomes the stdin/stdout pair callers expect. Ending stdin half-closes
 * the socket; destroying stdout (or stdin) closes it.
 */
export function splitAttachSocket(socket: Duplex): StdioStreams {
  const { stdout } = demuxOutput(socket);
  stdout.once("close", () => socket.destroy());
  const stdin = new Writable({
    write: (chunk, _encoding, callback) => {
      socket.write(chunk, callback);
    },
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (err, callback) => {
      socket.destroy();
      callback(err);
    },
  });
  return { stdin, stdout };
}
