import type { LogLine } from "@mcphost/api-client";

export type LogStream = LogLine["stream"];

export const LOG_STREAMS: readonly LogStream[] = ["stdout", "stderr", "system"];

export interface LogFilter {
  /** Case-insensitive substring; empty matches every line. */
  query: string;
  streams: ReadonlySet<LogStream>;
}

/** A text run of a line, and whether it matches the search (shown in a <mark>). */
export interface TextPart {
  text: string;
  match: boolean;
}

/** A pattern for `query` as plain text, ignoring case; null for an empty query. */
function patternOf(query: string): RegExp | null {
  if (query === "") return null;
  // A regular expression rather than toLowerCase + indexOf: lower-casing can change a string's
  // length ("İ" becomes two characters), which would put the highlight in the wrong place.
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "giu");
}

/** The predicate for lines the filter lets through. */
export function lineFilter({ query, streams }: LogFilter): (line: LogLine) => boolean {
  const pattern = patternOf(query);
  return (line) => {
    if (!streams.has(line.stream)) return false;
    if (!pattern) return true;
    pattern.lastIndex = 0;
    return pattern.test(line.line);
  };
}

/** `text` cut into runs, the matches of `query` (ignoring case) marked. */
export function splitMatches(text: string, query: string): TextPart[] {
  const pattern = patternOf(query);
  if (!pattern) return [{ text, match: false }];
  const parts: TextPart[] = [];
  let at = 0;
  for (const found of text.matchAll(pattern)) {
    const start = found.index;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: found[0], match: true });
    at = start + found[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/** The lines as a plain-text log file: one line each, with its time and stream. */
export function logFileText(lines: readonly LogLine[]): string {
  return lines.map((l) => `${l.time} ${l.stream.padEnd(6)} ${l.line}\n`).join("");
}

/** `my-server-logs-2026-01-02T03-04-05Z.log`: sortable, and without characters Windows refuses. */
export function logFileName(slug: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
  return `${slug}-logs-${stamp}.log`;
}
