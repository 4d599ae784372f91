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
