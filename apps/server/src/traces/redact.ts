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

/** What is stored instead of a value whose JSON is over the size cap. */
export interface TruncatedValue {
  truncated: true;
  /** Size of the (redacted) JSON, in UTF-8 bytes. */
  bytes: number;
  /** Its first `maxBytes` characters. */
  preview: string;
}

/**
 * A copy of `value` fit to store: values of secret-looking keys replaced by "[redacted]" at any
 * depth (inside arrays too), strings made storable, and, when the JSON of the result is over
 * `maxBytes`, a {@link TruncatedValue} instead. Undefined stays undefined.
 */
export function redactAndCap(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  // One pass does both: the replacer redacts while serialising, and the text gives the size.
  const json = JSON.stringify(value, replacer);
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) {
    return { truncated: true, bytes, preview: storable(json.slice(0, maxBytes)) };
  }
  return JSON.parse(json);
}
