import { type Growth, mbPerHour } from "../soak-analysis.js";
import type { ChurnTally, SoakResult } from "../workloads/soak.js";

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const count = (n: number) => n.toLocaleString("en-US");
const ms = (us: number) => (us / 1000).toFixed(1);

/** `+0.42 MB/h (± 0.80, r² 0.05, 145 readings from 360 s)`: a slope and how far to trust it. */
function growthText(growth: Growth | undefined): string {
  if (!growth) return "too few readings after the warm-up for a slope";
  const slope = mbPerHour(growth.bytesPerHour);
  return (
    `${slope >= 0 ? "+" : "−"}${Math.abs(slope).toFixed(2)} MB/h ` +
    `(± ${mbPerHour(growth.stdErrBytesPerHour).toFixed(2)} standard error, r² ${growth.r2.toFixed(2)}, ` +
    `${growth.points} readings from ${Math.round(growth.fromSeconds)} s)`
  );
}

/**
 * An error in a few words: a problem+json answer (`HTTP 503: {"type":..., "detail":"..."}`) as
 * its status and detail, anything else cut short.
 */
export function shortError(message: string): string {
  const status = /^HTTP \d+/.exec(message)?.[0];
  const detail = /"detail":"((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  return (status && detail ? `${status}: ${detail}` : message).slice(0, 160);
}

const churnText = (c: ChurnTally) =>
  `${count(c.opened)} opened, ${count(c.abandoned)} of them abandoned (no DELETE), ` +
  `${count(c.calls)} echo calls, ${c.errors} errors` +
  (c.firstError ? ` (first: ${shortError(c.firstError)})` : "");

/**
 * As in the half-load table: an open loop that falls behind holds every client slot, and the
 * gateway then holds as many requests waiting; its memory is no longer that of half load.
 */
const OVERLOADED =
  " (overloaded: the gateway fell behind the rate offered, so its memory held queued requests)";

/** The soak as a two-column table: what was offered, what was done, what grew, what was left. */
export function soakLines(soak: SoakResult): string[] {
  const length =
    soak.loadSeconds < 120
      ? `${soak.loadSeconds} s`
      : `${(soak.loadSeconds / 60).toFixed(soak.loadSeconds < 600 ? 1 : 0)} min`;
  const row = (what: string, figure: string) => `| ${what} | ${figure} |`;
  const lines = [
    "",
    `**Soak**: ${length} at half of what this gateway sustains, with sessions coming and going ` +
      "(an MCP Host of its own: A2's remote server in front of a server-everything, and A5's " +
      `stdio server on the process runtime; idle timeout ${soak.idleSeconds} s)`,
    "",
    "| what | figure |",
    "| --- | --- |",
    row(
      "load",
      `${length}, ${soak.rate} req/s offered (half of ${soak.saturation} req/s), readings every ${soak.sampleSeconds} s`,
    ),
    row(
      "echo calls",
      `${count(soak.calls)} answered, ${soak.errors} errors, ${count(soak.dropped)} not sent` +
        (soak.dropped > 0 ? OVERLOADED : "") +
        "; " +
        `p50 ${ms(soak.p50Us)} ms, p99 ${ms(soak.p99Us)} ms` +
        (soak.firstError ? ` (first error: ${shortError(soak.firstError)})` : ""),
    ),
    row("sessions, HTTP server", churnText(soak.churn.http)),
    row("sessions, stdio server", churnText(soak.churn.stdio)),
    row(
      "gateway RSS, after a full GC",
      `${mib(soak.rss.startBytes)} → ${mib(soak.rss.endBytes)} MiB; growth after the first ` +
        `${soak.warmupSeconds} s: ${growthText(soak.rss.growth)}`,
    ),
  ];
  if (soak.heap)
    lines.push(
      row(
        "gateway heap after GC",
        `${mib(soak.heap.startBytes)} → ${mib(soak.heap.endBytes)} MiB; growth ${growthText(soak.heap.growth)}`,
      ),
    );
  lines.push(
    row(
      "sessions left",
      `${soak.leakedSessions}, ${soak.waitedSeconds} s after the load stopped ` +
        `(idle timeout ${soak.idleSeconds} s, reaper every ${soak.reapSeconds} s)`,
    ),
    row(
      "processes below the gateway",
      `${soak.childrenAfter.count} after the wait (${soak.childrenAfter.names || "none"}), ` +
        `${soak.childrenAtRest.count} at rest before the load (${soak.childrenAtRest.names || "none"}): ` +
        `${soak.leakedChildren} leaked`,
    ),
  );
  return lines;
}
