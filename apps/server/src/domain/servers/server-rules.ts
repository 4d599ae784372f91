/**
 * The rules a server's settings must follow, as plain data and small predicates. The API's request
 * schemas (`http/routes/server-schemas.ts`) are built from these, and the web app imports this file
 * to check a form before sending it, so both always agree. It imports nothing: keep it that way, it
 * is bundled into the browser.
 */

/** A string that must match `pattern` (when given) and be at most `maxLength` long. */
export interface TextRule {
  readonly pattern?: RegExp;
  readonly maxLength: number;
  /** The message when `pattern` does not match, worded to follow the field's name. */
  readonly message: string;
}

/** A number within `min`–`max`, a whole one when `integer`; `fallback` when left out. */
export interface RangeRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly fallback: number;
}

/** npm's own rule for package names (lower case, optional scope). */
export const NPM_PACKAGE: TextRule = {
  pattern: /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/,
  maxLength: 214,
  message: "must be an npm package name",
};

/** A registry version, range or tag: never a URL, path or git spec (those would fetch anything). */
export const VERSION_SPEC: TextRule = {
  pattern: /^[0-9A-Za-z.^~<>=*+| -]+$/,
  maxLength: 64,
  message: "must be a version, range or tag (no URLs or paths)",
};

/** The npm version installed when none is given. */
export const DEFAULT_VERSION = "latest";

export const IMAGE_REF: TextRule = {
  pattern: /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/,
  maxLength: 255,
  message: "must be an image reference such as ghcr.io/org/server:1.2",
};

/** A host command (admins only): any non-empty path or program name. */
export const HOST_COMMAND_MAX_LENGTH = 1024;

/** Arguments, and an image's replacement entrypoint: a list of plain strings, no shell. */
export const ARGS = { maxCount: 64, maxLength: 4096 } as const;

/** A remote server's endpoint: http(s) only, so it can never read a local file. */
export const REMOTE_URL = { protocols: ["http:", "https:"], maxLength: 2048 } as const;

/** Headers sent to a remote server; values may reference variables as `${NAME}`. */
export const HEADER_NAME: TextRule = {
  pattern: /^[A-Za-z0-9-]{1,64}$/,
  maxLength: 64,
  message: "must be a header name",
};
export const HEADER_VALUE_MAX_LENGTH = 8192;
export const MAX_HEADERS = 32;

/** A URL-safe name unique across the instance, used in `/mcp/{slug}`. */
export const SLUG: TextRule = {
  pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  maxLength: 63,
  message: "must be lower-case letters, digits and dashes (max 63)",
};

export const DESCRIPTION_MAX_LENGTH = 2000;

/** Where an `http` transport server listens, inside its sandbox. */
export const PORT: Omit<RangeRule, "fallback"> = { min: 1, max: 65_535, integer: true };
export const HTTP_PATH = { prefix: "/", maxLength: 256, fallback: "/mcp" } as const;

/** Environment variable names; values are secrets and never returned. */
export const ENV_NAME: TextRule = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
  maxLength: 128,
  message: "must be a variable name (letters, digits, underscore)",
};
/** MCP Host sets these itself (the instance's own settings): a server may not override them. */
export const RESERVED_ENV_PREFIX = "MCPHOST_";
export const RESERVED_ENV_MESSAGE = `names starting with ${RESERVED_ENV_PREFIX} are reserved`;
export const ENV_VALUE_MAX_LENGTH = 32_768;
export const MAX_ENV_VARS = 128;

/** Resource limits, each with its range and the value taken when it is left out. */
export const LIMITS = {
  /** Memory ceiling in MiB. */
  memoryMb: { min: 16, max: 65_536, integer: true, fallback: 512 },
  /** CPU share in cores (0.5 = half a core). */
  cpus: { min: 0.05, max: 64, integer: false, fallback: 1 },
  /** Most processes/threads the server may create. */
  pids: { min: 8, max: 32_768, integer: true, fallback: 256 },
} as const satisfies Record<string, RangeRule>;

/** Most MCP sessions open at once through the gateway. */
export const MAX_SESSIONS = { min: 1, max: 10_000, integer: true, fallback: 50 } as const;

/** Whether `value` follows `rule`: the message to show when it does not, else `null`. */
export function textProblem(rule: TextRule, value: string): string | null {
  if (value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
  if (rule.pattern && !rule.pattern.test(value)) return rule.message;
  return null;
}

/** Whether `value` is in range (and whole, where it must be): the message, else `null`. */
export function rangeProblem(rule: Omit<RangeRule, "fallback">, value: number): string | null {
  if (!Number.isFinite(value)) return "must be a number";
  if (rule.integer && !Number.isInteger(value)) return "must be a whole number";
  if (value < rule.min || value > rule.max) return `must be between ${rule.min} and ${rule.max}`;
  return null;
}

/** The message for a variable name that may not be used, else `null`. */
export function envNameProblem(name: string): string | null {
  return (
    textProblem(ENV_NAME, name) ??
    (name.startsWith(RESERVED_ENV_PREFIX) ? RESERVED_ENV_MESSAGE : null)
  );
}

/** The message for an http transport path that may not be used, else `null`. */
export function httpPathProblem(path: string): string | null {
  if (!path.startsWith(HTTP_PATH.prefix)) return `must start with ${HTTP_PATH.prefix}`;
  if (path.length > HTTP_PATH.maxLength) return `must be at most ${HTTP_PATH.maxLength} characters`;
  return null;
}

/** The message for a remote URL that is not an http(s) URL, else `null`. */
export function remoteUrlFormatProblem(url: string): string | null {
  if (url.length > REMOTE_URL.maxLength) {
    return `must be at most ${REMOTE_URL.maxLength} characters`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be a URL such as https://example.com/mcp";
  }
  return (REMOTE_URL.protocols as readonly string[]).includes(parsed.protocol)
    ? null
    : "must start with https:// or http://";
}
