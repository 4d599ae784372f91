import { skipString, skipValue, skipWhitespace, UnparsedJson } from "../lib/json-envelope.js";

/** What a secret-looking value is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Key words that name secrets, matched against whole words of a key once it is split at
 * camelCase, `_`, `-` and other separators: `apiKey`, `X-Api-Key`, `github_token`, `clientSecret`
 * and `Authorization` match; `author`, `maxTokens` and `monkey` do not.
 */
const SECRET_WORDS =
  /_(passwords?|passwd|secrets?|token|api_?key|authorization|auth|credentials?|private_?key|cookies?|session_?key|access_?key)_/;

/** Protocol fields that contain a secret word but are not secrets. */
const NOT_SECRET = new Set(["progressToken"]);

const verdicts = new Map<string, boolean>();

/** Whether an object key looks like it holds a secret (case-insensitive). */
export function looksSecret(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const words = key
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_");
    verdict = !NOT_SECRET.has(key) && SECRET_WORDS.test(`_${words}_`);
    // Keys repeat a lot (arrays of alike objects); the cache stays small whatever clients send.
    if (verdicts.size < 10_000) verdicts.set(key, verdict);
  }
  return verdict;
}

type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * PostgreSQL's jsonb refuses NUL characters and lone surrogates; one such string would lose a
 * whole batch of traces, so they become U+FFFD.
 */
export function storable(s: string): string {
  const out = s.includes("\0") ? s.replaceAll("\0", "\uFFFD") : s;
  return (out as WellFormed).isWellFormed() ? out : (out as WellFormed).toWellFormed();
}

function replacer(key: string, value: unknown): unknown {
  if (key !== "" && looksSecret(key)) return REDACTED;
  if (typeof value === "string") return storable(value);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.some((k) => k !== storable(k))) {
      return Object.fromEntries(
        keys.map((k) => [storable(k), (value as Record<string, unknown>)[k]]),
      );
    }
  }
  return value;
}

/**
 * A copy of `slice` that does not share the string it was cut from. V8 makes a slice of a long
 * string a view that keeps the whole of it alive: a 16 KiB preview of a 1 MiB result held the
 * MiB until its batch of traces was written, and 10,000 of them could wait in the writer's
 * backlog. A lone surrogate left by the cut becomes U+FFFD, as `storable` would make it.
 */
const detached = (slice: string): string => Buffer.from(slice, "utf8").toString("utf8");

/** What is stored instead of a value whose JSON is over the size cap. */
export interface TruncatedValue {
  truncated: true;
  /**
   * Size of the (redacted) JSON, in UTF-8 bytes; of the JSON as it was sent, for a value too
   * large to have been parsed ({@link UnparsedJson}).
   */
  bytes: number;
  /** Its first `maxBytes` characters. */
  preview: string;
}

/**
 * `value` fit to store: values of secret-looking keys replaced by "[redacted]" at any
 * depth (inside arrays too), strings made storable, and, when the JSON of the result is over
 * `maxBytes`, a {@link TruncatedValue} instead. Undefined stays undefined. Plain JSON data that
 * needs none of this is returned as it is (not copied): callers must not change it afterwards.
 */
export function redactAndCap(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  if (value instanceof UnparsedJson) {
    const bytes = value.bytes.length;
    if (bytes <= maxBytes) return redactAndCap(JSON.parse(value.bytes.toString("utf8")), maxBytes);
    return {
      truncated: true,
      bytes,
      preview: storable(detached(redactedPrefix(value.bytes, maxBytes))),
    } satisfies TruncatedValue;
  }
  // Most messages hold nothing to redact or repair: measured, and kept as they are.
  if (needsNoChange(value, 0)) {
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json);
    return bytes > maxBytes ? truncated(json, bytes, maxBytes) : value;
  }
  // One pass does both: the replacer redacts while serialising, and the text gives the size.
  const json = JSON.stringify(value, replacer);
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) return truncated(json, bytes, maxBytes);
  return JSON.parse(json);
}

const truncated = (json: string, bytes: number, maxBytes: number): TruncatedValue => ({
  truncated: true,
  bytes,
  preview: storable(detached(json.slice(0, maxBytes))),
});

const isStorable = (s: string) => !s.includes("\0") && (s as WellFormed).isWellFormed();

/** Deeper than this, the copying path decides (and JSON.stringify reports a cycle). */
const MAX_CHECKED_DEPTH = 64;

/**
 * Whether `value` is plain JSON data (what JSON.parse makes) with no secret-looking key and no
 * string PostgreSQL would refuse, so that storing the value itself is the same as storing its
 * redacted copy. Anything else (undefined, NaN, class instances, toJSON) takes the copying path.
 * This check allocates nothing: redacting by JSON.stringify's replacer and parsing the copy back
 * was most of the tracer's cost per call (docs/benchmarks.md).
 */
function needsNoChange(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
      return isStorable(value);
    case "number":
      return Number.isFinite(value);
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_CHECKED_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!needsNoChange(item, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (looksSecret(key) || !isStorable(key)) return false;
    if (!needsNoChange((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The first `maxChars` characters of JSON (as UTF-8 bytes) with the values of secret-looking keys
 * replaced by "[redacted]", at any depth, as the preview of the same value parsed and redacted
 * would show them; only as much of the JSON as the preview needs is read and decoded.
 */
export function redactedPrefix(json: Buffer, maxChars: number): string {
  // A UTF-16 unit of the string takes at most 3 bytes of UTF-8: this many bytes hold them all.
  const budget = maxChars * 3;
  let out = "";
  let outBytes = 0;
  let copiedFrom = 0;
  let i = 0;
  // Whether the next string is an object's key: after `{`, or after `,` inside an object.
  const inObject: boolean[] = [];
  let expectKey = false;
  while (i < json.length && outBytes + (i - copiedFrom) < budget) {
    const c = json[i];
    if (c === 0x22) {
      const end = skipString(json, i);
      if (expectKey && looksSecret(JSON.parse(json.toString("utf8", i, end)) as string)) {
        const colon = skipWhitespace(json, end);
        const valueStart = skipWhitespace(json, colon + 1);
        out += `${json.toString("utf8", copiedFrom, valueStart)}${REDACTED_JSON}`;
        outBytes += valueStart - copiedFrom + REDACTED_JSON.length;
        i = copiedFrom = skipValue(json, valueStart);
      } else i = end;
      expectKey = false;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      inObject.push(c === 0x7b);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) inObject.pop();
    else if (c === 0x2c) expectKey = inObject.at(-1) === true;
    i++;
  }
  // A long string can take `i` far past the budget: only the budget is decoded.
  const end = Math.max(copiedFrom, Math.min(i, copiedFrom + budget - outBytes));
  out += json.toString("utf8", copiedFrom, end);
  return out.slice(0, maxChars);
}

const REDACTED_JSON = JSON.stringify(REDACTED);
