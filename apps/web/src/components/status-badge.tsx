import type { ServerStatus } from "@mcphost/api-client";

type Tone = "ok" | "busy" | "warn" | "bad" | "idle";

const TONES: Record<ServerStatus, Tone> = {
  running: "ok",
  created: "busy",
  installing: "busy",
  pulling: "busy",
  starting: "busy",
  stopping: "busy",
  removing: "busy",
  unhealthy: "warn",
  crashloop: "bad",
  error: "bad",
  stopped: "idle",
};

const SYMBOLS: Record<Tone, string> = { ok: "●", busy: "◌", warn: "▲", bad: "✕", idle: "■" };

/** A server's status as a word and a shape as well as a color, so color is never the only signal. */
export function StatusBadge({ status }: { status: ServerStatus }) {
  const tone = TONES[status] ?? "idle";
  return (
    <span className={`badge status status-${tone}`} data-status={status}>
      <span aria-hidden="true">{SYMBOLS[tone]}</span> {status}
    </span>
  );
}

/** Statuses that move on by themselves: an action is under way. */
export function isTransitional(status: ServerStatus): boolean {
  return TONES[status] === "busy";
}
