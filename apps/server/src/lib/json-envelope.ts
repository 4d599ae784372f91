/**
 * Reading a large JSON-RPC message without parsing all of it. The tracer needs a message's id,
 * method and error, a request's target and a result's `isError`; the rest of a large result is
 * stored truncated to its first few KiB anyway. Parsing and re-serialising a 1 MiB tool result
 * cost the gateway about 4 ms of CPU per call, more than relaying it (docs/benchmarks.md).
 *
 * The scanning works on the UTF-8 bytes as they came (a multi-byte character never holds a byte
 * of `"`, `\` or a bracket) and finds where each JSON value ends, jumping over strings with
 * `indexOf`: a megabyte costs microseconds, and only the small parts are ever decoded. It trusts
 * the text's structure only as far as it reads it: an unparsed value is never checked, as it was
 * never going to be used beyond its preview.
 */

/** Members of a large message's `result` or `params` longer than this (bytes) stay unparsed. */
export const SMALL_MEMBER_BYTES = 4096;

/** A JSON value kept as its UTF-8 bytes: part of a message too large to be worth parsing. */
export class UnparsedJson {
  #spans: Map<string, [number, number]> | undefined;

  constructor(readonly bytes: Buffer) {}

  /**
   * A member of this value when it is an object: parsed when it is short, else unparsed itself;
   * undefined when the value is no object or has no such member.
   */
  member(key: string): unknown {
    this.#spans ??= memberSpans(this.bytes);
    const span = this.#spans.get(key);
    return span === undefined ? undefined : memberValue(this.bytes.subarray(span[0], span[1]));
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isWhitespace = (c: number | undefined) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export function skipWhitespace(json: Buffer, i: number): number {
  while (i < json.length && isWhitespace(json[i])) i++;
  return i;
}

/** The index just past the string starting (with its quote) at `i`. */
export function skipString(json: Buffer, i: number): number {
  let end = json.indexOf(QUOTE, i + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (json[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    end = json.indexOf(QUOTE, end + 1);
  }
  throw new SyntaxError("unterminated string in JSON");
}

/** The index just past the value starting at `i` (whitespace skipped before it). */
export function skipValue(json: Buffer, i: number): number {
  i = skipWhitespace(json, i);
  const first = json[i];
  if (first === QUOTE) return skipString(json, i);
  if (first !== 0x7b && first !== 0x5b) {
    // A number, true, false or null: up to the next delimiter.
    while (i < json.length) {
      const c = json[i];
      if (c === 0x2c || c === 0x7d || c === 0x5d || isWhitespace(c)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === QUOTE) {
      i = skipString(json, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new SyntaxError("unterminated object or array in JSON");
}

const parse = (json: Buffer): unknown => JSON.parse(json.toString("utf8"));

/**
 * Where each member's value lies in an object's bytes, by key (`[start, end)`), in order; empty
 * when they are not an object. Throws on bytes that do not read as JSON this far.
 */
function memberSpans(json: Buffer): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  let i = skipWhitespace(json, 0);
  if (json[i] !== 0x7b) return spans;
  i = skipWhitespace(json, i + 1);
  if (json[i] === 0x7d) return spans;
  for (;;) {
    if (json[i] !== QUOTE) throw new SyntaxError("expected a key in JSON object");
    const keyEnd = skipString(json, i);
    const key = parse(json.subarray(i, keyEnd)) as string;
    i = skipWhitespace(json, keyEnd);
    if (json[i] !== 0x3a) throw new SyntaxError("expected ':' in JSON object");
    const start = skipWhitespace(json, i + 1);
    const end = skipValue(json, start);
    spans.set(key, [start, end]);
    i = skipWhitespace(json, end);
    const c = json[i];
    if (c === 0x7d) return spans;
    if (c !== 0x2c) throw new SyntaxError("expected ',' or '}' in JSON object");
    i = skipWhitespace(json, i + 1);
  }
}

const memberValue = (json: Buffer): unknown =>
  json.length > SMALL_MEMBER_BYTES ? new UnparsedJson(json) : parse(json);

/** Members a message carries its payload in; every other member is parsed. */
const PAYLOAD_MEMBERS = new Set(["result", "params"]);

/**
 * A JSON-RPC message (or a batch of them) from its UTF-8 bytes, with the payload (`result`,
 * `params`) left as {@link UnparsedJson} when it is long. Everything else is parsed, so `id`,
 * `method`, `error` and `jsonrpc` read as usual. The message keeps views of `json`: it must not
 * be reused while the message is in use.
 */
export function envelopeOf(json: Buffer): unknown {
  const start = skipWhitespace(json, 0);
  if (json[start] === 0x5b) return batchOf(json, start);
  const spans = memberSpans(json);
  if (spans.size === 0) return parse(json); // not an object, or an empty one
  const message: Record<string, unknown> = {};
  for (const [key, [from, to]] of spans) {
    const value = json.subarray(from, to);
    message[key] = PAYLOAD_MEMBERS.has(key) ? memberValue(value) : parse(value);
  }
  return message;
}

function batchOf(json: Buffer, start: number): unknown[] {
  const messages: unknown[] = [];
  let i = skipWhitespace(json, start + 1);
  if (json[i] === 0x5d) return messages;
  for (;;) {
    const end = skipValue(json, i);
    messages.push(envelopeOf(json.subarray(i, end)));
    i = skipWhitespace(json, end);
    const c = json[i];
    if (c === 0x5d) return messages;
    if (c !== 0x2c) throw new SyntaxError("expected ',' or ']' in JSON array");
    i = skipWhitespace(json, i + 1);
  }
}
