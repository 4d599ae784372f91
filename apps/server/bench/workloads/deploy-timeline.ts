import type { StatusChange } from "../status-stream.js";

/** A line of `GET /api/servers/{id}/logs`, its time as ms since the epoch. */
export interface LogLine {
  at: number;
  stream: string;
  line: string;
}

/** What the client itself saw, as wall-clock ms since the epoch (fractional). */
export interface ClientMarks {
  /** Just before `POST /api/servers` was sent: the origin of every milestone. */
  posted: number;
  created: number;
  runningSeen: number;
  /** `initialize` answered through the gateway (the session instance is up and speaking). */
  initialized: number;
  listed: number;
}

/**
 * The steps of one deploy, in the order they happen, and where each comes from: the client's
 * clock, a status change the server recorded, or a line of the server's log (lifecycle steps,
 * runtime lines, the instances' stderr). Session instances' lines carry `[session <id>]`.
 */
export const MILESTONES = [
  "POST answered",
  "installing",
  "package found",
  "starting",
  "main instance spawned",
  "main instance printed",
  "main instance answered initialize",
  "session instance answered ping",
  "running",
  "running seen by client",
  "session instance spawned",
  "session instance printed",
  "initialize answered",
  "tools/list answered",
] as const;
export type Milestone = (typeof MILESTONES)[number];

const SESSION = /^\[session [^\]]+\] /;
const isSession = (l: LogLine) => SESSION.test(l.line);
const firstLog = (lines: LogLine[], keep: (l: LogLine) => boolean) => lines.find(keep)?.at;

/**
 * When each milestone happened, in ms after the `POST` was sent; a milestone that did not show
 * (the Docker runtime logs no pid) is left out. Server times have millisecond resolution and
 * share the machine's clock with the client.
 */
export function deployTimeline(
  client: ClientMarks,
  changes: StatusChange[],
  logs: LogLine[],
): Partial<Record<Milestone, number>> {
  const status = (to: string) => changes.find((c) => c.to === to)?.at;
  const at: Record<Milestone, number | undefined> = {
    "POST answered": client.created,
    installing: status("installing"),
    "package found": firstLog(
      logs,
      (l) => l.stream === "system" && / is already installed$|^installed /.test(l.line),
    ),
    starting: status("starting"),
    "main instance spawned": firstLog(
      logs,
      (l) => l.stream === "system" && !isSession(l) && /^started pid /.test(l.line),
    ),
    "main instance printed": firstLog(logs, (l) => l.stream === "stderr" && !isSession(l)),
    "main instance answered initialize": firstLog(
      logs,
      (l) => l.stream === "system" && /^answered MCP initialize in /.test(l.line),
    ),
    "session instance answered ping": firstLog(
      logs,
      (l) => l.stream === "system" && /^a session instance answered MCP ping in /.test(l.line),
    ),
    running: status("running"),
    "running seen by client": client.runningSeen,
    "session instance spawned": firstLog(
      logs,
      (l) => isSession(l) && /^started pid /.test(l.line.replace(SESSION, "")),
    ),
    "session instance printed": firstLog(logs, (l) => l.stream === "stderr" && isSession(l)),
    "initialize answered": client.initialized,
    "tools/list answered": client.listed,
  };
  const out: Partial<Record<Milestone, number>> = {};
  for (const name of MILESTONES) {
    const time = at[name];
    if (time !== undefined) out[name] = Math.round((time - client.posted) * 10) / 10;
  }
  return out;
}
