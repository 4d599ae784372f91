import { type DestinationStream, type LoggerOptions, pino } from "pino";

export type Logger = pino.Logger;

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log line. Secrets must never reach
 * logs, so anything that can carry a credential is listed here rather than trusted to call sites.
 */
const REDACT_PATHS = [
  "password",
  "currentPassword",
  "newPassword",
  "token",
  "secret",
  "secretKey",
  "*.password",
  "*.token",
  "*.secret",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
];

/**
 * Standard output for the process's log, written in blocks: lines gather until 4 KiB or 100 ms,
 * whichever comes first, then go in one write. One write per line (an access-log line per MCP
 * call) was a tenth of the gateway's CPU under load (docs/benchmarks.md). Nothing waits longer
 * than 100 ms to appear, and what is buffered is written when the process exits, also on a crash
 * (pino flushes on `exit`); only a process killed outright (SIGKILL) loses its last 100 ms.
 */
export function bufferedStdout(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
}

export function createLogger(
  options: { level: LoggerOptions["level"] },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "mcphost" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
