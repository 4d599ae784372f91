import { StringDecoder } from "node:string_decoder";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { createParser } from "eventsource-parser";
import { envelopeOf } from "../lib/json-envelope.js";

/**
 * Largest JSON answer body kept to be parsed for the tracer. The body is forwarded in any case;
 * past this the copy is dropped and the answer goes untraced, so a huge upstream answer is never
 * held twice in memory. Well above the 4 MiB the gateway accepts from clients.
 */
export const MAX_TRACED_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Messages longer than this (in characters) are read by their envelope (`lib/json-envelope.ts`):
 * their payload is kept as text, which the tracer stores truncated anyway, instead of parsed.
 */
export const LARGE_MESSAGE_CHARS = 64 * 1024;

/** A message body's JSON, parsed whole when short, by its envelope when long. */
const messageOf = (text: string): unknown =>
  text.length > LARGE_MESSAGE_CHARS ? envelopeOf(text) : JSON.parse(text);

/** The JSON-RPC messages of a parsed body: one message or a batch. */
export const asMessages = (body: unknown): JSONRPCMessage[] =>
  (Array.isArray(body) ? body : [body]).filter(
    (m): m is JSONRPCMessage => typeof m === "object" && m !== null,
  );

/**
 * Reads the JSON-RPC messages out of an upstream answer from the chunks the proxy forwards, so
 * the body is read once (no copy of the stream, no web streams). `push` every chunk, `end` when
 * the body ended normally; nothing is reported for a body cut short.
 */
export interface BodyTap {
  push(chunk: Buffer): void;
  end(): void;
}

const noTap: BodyTap = { push() {}, end() {} };

/**
 * A tap for the body's content type: SSE events are reported as each one completes, a JSON body
 * once it has all arrived. Anything that does not parse as JSON-RPC stops the reporting and is
 * otherwise ignored: the client got the bytes as they were.
 */
export function tapBody(contentType: string, report: (message: JSONRPCMessage) => void): BodyTap {
  if (contentType.includes("text/event-stream")) return sseTap(report);
  if (contentType.includes("application/json")) return jsonTap(report);
  return noTap;
}

function sseTap(report: (message: JSONRPCMessage) => void): BodyTap {
  // StringDecoder keeps a UTF-8 sequence split across chunks whole.
  const decoder = new StringDecoder("utf8");
  let broken = false;
  let oversized = false;
  const parser = createParser({
    onEvent(event) {
      if (broken || !event.data) return; // priming events carry no data
      try {
        for (const message of asMessages(messageOf(event.data))) report(message);
      } catch {
        broken = true;
      }
    },
    // An event is held whole until it ends: past the cap it is dropped untraced (its request
    // is recorded when the session ends), and the events after it are traced again.
    maxBufferSize: MAX_TRACED_JSON_BYTES,
    onError(err) {
      if (err.type === "max-buffer-size-exceeded") oversized = true;
    },
  });
  const feed = (text: string) => {
    parser.feed(text);
    if (oversized) {
      oversized = false;
      parser.reset();
    }
  };
  return {
    push(chunk) {
      if (!broken) feed(decoder.write(chunk));
    },
    end() {
      if (!broken) feed(decoder.end());
    },
  };
}

function jsonTap(report: (message: JSONRPCMessage) => void): BodyTap {
  let chunks: Buffer[] | undefined = [];
  let bytes = 0;
  return {
    push(chunk) {
      if (!chunks) return;
      bytes += chunk.length;
      if (bytes > MAX_TRACED_JSON_BYTES) chunks = undefined;
      else chunks.push(chunk);
    },
    end() {
      if (!chunks) return;
      try {
        const text = Buffer.concat(chunks, bytes).toString("utf8");
        for (const message of asMessages(messageOf(text))) report(message);
      } catch {
        // Not JSON-RPC: nothing to trace.
      }
    },
  };
}
