import { describe, expect, it } from "vitest";
import type { StatusChange } from "../status-stream.js";
import { deployTimeline, type LogLine } from "./deploy-timeline.js";

const T0 = Date.parse("2026-05-01T10:00:00Z");
const change = (to: string, after: number): StatusChange => ({
  serverId: "srv_1",
  from: "?",
  to,
  at: T0 + after,
  seenAt: T0 + after + 2,
});
const log = (after: number, stream: string, line: string): LogLine => ({
  at: T0 + after,
  stream,
  line,
});

describe("a deploy's timeline", () => {
  it("puts the status changes, log lines and client marks in ms after the POST", () => {
    const timeline = deployTimeline(
      {
        posted: T0,
        created: T0 + 20.04,
        runningSeen: T0 + 1162,
        initialized: T0 + 1180,
        listed: T0 + 1190.55,
      },
      [change("installing", 40), change("starting", 60), change("running", 1160)],
      [
        log(45, "system", "@scope/pkg@1.0.0 is already installed"),
        log(61, "system", "starting instance ins_a on the process runtime"),
        log(62, "system", "[session ins_b] started pid 12 (sandboxed)"),
        log(70, "system", "started pid 11 (sandboxed)"),
        log(400, "stderr", "[session ins_b] Starting default (STDIO) server..."),
        log(410, "stderr", "Starting default (STDIO) server..."),
        log(420, "system", "a session instance answered MCP ping in 355 ms"),
        log(1150, "system", "answered MCP initialize in 1080 ms"),
        log(1160, "system", "running"),
      ],
    );
    expect(timeline).toEqual({
      "POST answered": 20,
      installing: 40,
      "package found": 45,
      starting: 60,
      "main instance spawned": 70,
      "main instance printed": 410,
      "main instance answered initialize": 1150,
      "session instance answered ping": 420,
      running: 1160,
      "running seen by client": 1162,
      "session instance spawned": 62,
      "session instance printed": 400,
      "initialize answered": 1180,
      "tools/list answered": 1190.6,
    });
  });

  it("leaves out what a runtime does not log, and counts a fresh install as found", () => {
    const timeline = deployTimeline(
      { posted: T0, created: T0 + 5, runningSeen: T0 + 9, initialized: T0 + 10, listed: T0 + 11 },
      [change("running", 8)],
      [log(3, "system", "installed @scope/pkg@1.0.0 in 4.2 s")],
    );
    expect(Object.keys(timeline)).toEqual([
      "POST answered",
      "package found",
      "running",
      "running seen by client",
      "initialize answered",
      "tools/list answered",
    ]);
  });
});
