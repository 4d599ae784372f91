import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { envelopeOf } from "../lib/json-envelope.js";
import { SseDataSplitter } from "./sse-data.js";

/**
 * Largest JSON answer body kept to be parsed for the tracer. The body is forwarded in any case;
 * past this the copy is dropped and the answer goes untraced, so a huge upstream answer is never
 * held twice in memory. Well above the 4 MiB the gateway accepts from clients.
 */
export const MAX_TRACED_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Messages longer than this (bytes) are read by their envelope (`lib/json-envelope.ts`): their
 * payload is kept as bytes, which the tracer stores truncated anyway, instead of parsed.
 */
export const LARGE_MESSAGE_BYTES = 64 * 1024;

/** A message body's JSON, parsed whole when short, by its envelope when long. */
const messageOf = (json: Buffer): unknown =>
  json.length > LARGE_MESSAGE_BYTES ? envelopeOf(json) : JSON.parse(json.toString("utf8"));

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
  let broken = false;
  // An event over the cap is dropped untraced (its request is recorded when the session ends).
  const splitter = new SseDataSplitter((data) => {
    if (broken || data.length === 0) return; // priming events carry no data
    try {
      for (const message of asMessages(messageOf(data))) report(message);
    } catch {
      broken = true;
    }
  }, MAX_TRACED_JSON_BYTES);
  return {
    push(chunk) {
      if (!broken) splitter.push(chunk);
    },
    end() {},
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
        for (const message of asMessages(messageOf(Buffer.concat(chunks, bytes)))) report(message);
      } catch {
        // Not JSON-RPC: nothing to trace.
      }
    },
  };
}
