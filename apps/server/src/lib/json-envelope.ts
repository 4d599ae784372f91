/**
 * Reading a large JSON-RPC message without parsing all of it. The tracer needs a message's id,
 * method and error, a request's target and a result's `isError`; the rest of a large result is
 * stored truncated to its first few KiB anyway. Parsing and re-serialising a 1 MiB tool result
 * cost the gateway about 4 ms of CPU per call, more than relaying it (docs/benchmarks.md).
 *
 * The scanning finds where each JSON value ends, jumping over strings with `indexOf`, so a
 * megabyte of text costs microseconds. It trusts the text's structure only as far as it reads
 * it: an unparsed value is never checked, as it was never going to be used beyond its preview.
 */

/** Members of a large message's `result` or `params` longer than this stay unparsed. */
export const SMALL_MEMBER_CHARS = 4096;

/** A JSON value kept as its text: part of a message too large to be worth parsing. */
export class UnparsedJson {
  #spans: Map<string, [number, number]> | undefined;

  constructor(readonly text: string) {}

  /**
   * A member of this value when it is an object: parsed when its text is short, else unparsed
   * itself; undefined when the value is no object or has no such member.
   */
  member(key: string): unknown {
    this.#spans ??= memberSpans(this.text);
    const span = this.#spans.get(key);
    return span === undefined ? undefined : memberValue(this.text.slice(span[0], span[1]));
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** The index just past the string starting (with its quote) at `i`. */
export function skipString(text: string, i: number): number {
  let end = text.indexOf('"', i + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    end = text.indexOf('"', end + 1);
  }
  throw new SyntaxError("unterminated string in JSON");
}

/** The index just past the value starting at `i` (whitespace skipped before it). */
export function skipValue(text: string, i: number): number {
  i = skipWhitespace(text, i);
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first !== 0x7b && first !== 0x5b) {
    // A number, true, false or null: up to the next delimiter.
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || isWhitespace(c)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i);
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

/**
 * Where each member's value lies in an object's text, by key (`[start, end)`), in order; empty
 * when the text is not an object. Throws on text that does not read as JSON this far.
 */
function memberSpans(text: string): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return spans;
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) return spans;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new SyntaxError("expected a key in JSON object");
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) throw new SyntaxError("expected ':' in JSON object");
    const start = skipWhitespace(text, i + 1);
    const end = skipValue(text, start);
    spans.set(key, [start, end]);
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x7d) return spans;
    if (c !== 0x2c) throw new SyntaxError("expected ',' or '}' in JSON object");
    i = skipWhitespace(text, i + 1);
  }
}

const memberValue = (text: string): unknown =>
  text.length > SMALL_MEMBER_CHARS ? new UnparsedJson(text) : JSON.parse(text);

/** Members a message carries its payload in; every other member is parsed. */
const PAYLOAD_MEMBERS = new Set(["result", "params"]);

/**
 * A JSON-RPC message (or a batch of them) from its text, with the payload (`result`, `params`)
 * left as {@link UnparsedJson} when it is long. Everything else is parsed, so `id`, `method`,
 * `error` and `jsonrpc` read as usual.
 */
export function envelopeOf(text: string): unknown {
  const start = skipWhitespace(text, 0);
  if (text.charCodeAt(start) === 0x5b) return batchOf(text, start);
  const spans = memberSpans(text);
  if (spans.size === 0) return JSON.parse(text); // not an object, or an empty one
  const message: Record<string, unknown> = {};
  for (const [key, [from, to]] of spans) {
    const value = text.slice(from, to);
    message[key] = PAYLOAD_MEMBERS.has(key) ? memberValue(value) : JSON.parse(value);
  }
  return message;
}

function batchOf(text: string, start: number): unknown[] {
  const messages: unknown[] = [];
  let i = skipWhitespace(text, start + 1);
  if (text.charCodeAt(i) === 0x5d) return messages;
  for (;;) {
    const end = skipValue(text, i);
    messages.push(envelopeOf(text.slice(i, end)));
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x5d) return messages;
    if (c !== 0x2c) throw new SyntaxError("expected ',' or ']' in JSON array");
    i = skipWhitespace(text, i + 1);
  }
}
