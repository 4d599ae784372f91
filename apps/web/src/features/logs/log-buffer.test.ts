import type { LogLine } from "@mcphost/api-client";
import { describe, expect, it, vi } from "vitest";
import { createLogBuffer, mergeLines } from "./log-buffer";
import { lineFilter, logFileName, logFileText, splitMatches } from "./log-filter";

const line = (id: number, text = `line ${id}`, stream: LogLine["stream"] = "stdout"): LogLine => ({
  id,
  time: new Date(Date.UTC(2026, 0, 1, 12, 0, id % 60)).toISOString(),
  stream,
  line: text,
});
const ids = (lines: readonly LogLine[]) => lines.map((l) => l.id);

/** A buffer whose flushes run only when the test says so. */
function manualBuffer(cap?: number) {
  let pending: (() => void) | null = null;
  const schedule = vi.fn((flush: () => void) => {
    pending = flush;
  });
  const buffer = createLogBuffer({ cap, schedule });
  const frame = () => {
    const run = pending;
    pending = null;
    run?.();
  };
  return { buffer, schedule, frame };
}

describe("the log buffer", () => {
  it("applies a burst of lines in one batch, at the next frame", () => {
    const { buffer, schedule, frame } = manualBuffer();
    const listener = vi.fn();
    buffer.subscribe(listener);
    for (let id = 1; id <= 500; id++) buffer.add([line(id)]);

    expect(schedule).toHaveBeenCalledTimes(1);
    expect(buffer.getSnapshot().lines).toHaveLength(0);
    frame();
    expect(buffer.getSnapshot().lines).toHaveLength(500);
    expect(listener).toHaveBeenCalledTimes(1);

    buffer.add([line(501)]);
    expect(schedule).toHaveBeenCalledTimes(2);
  });

  it("keeps lines in id order without repeats, whatever order they arrive in", () => {
    const { buffer, frame } = manualBuffer();
    buffer.add([line(3), line(1), line(2), line(3)]);
    frame();
    // A resumed stream repeating what was shown, and a gap filled late.
    buffer.add([line(2), line(5), line(4), line(5)]);
    frame();
    expect(ids(buffer.getSnapshot().lines)).toEqual([1, 2, 3, 4, 5]);
  });

  it("does not publish a batch that holds nothing new", () => {
    const { buffer, frame } = manualBuffer();
    buffer.add([line(1), line(2)]);
    frame();
    const before = buffer.getSnapshot();
    const listener = vi.fn();
    buffer.subscribe(listener);
    buffer.add([line(1)]);
    frame();
    expect(listener).not.toHaveBeenCalled();
    expect(buffer.getSnapshot()).toBe(before);
  });

  it("drops the oldest lines past the cap and counts them", () => {
    const { buffer, frame } = manualBuffer(10);
    buffer.addOlder([], true);
    buffer.add(Array.from({ length: 25 }, (_, i) => line(i + 1)));
    frame();
    const { lines, dropped, reachedStart } = buffer.getSnapshot();
    expect(ids(lines)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(dropped).toBe(15);
    // The first line shown is no longer the first the server has.
    expect(reachedStart).toBe(false);
  });

  it("holds new lines while paused, counting them, and shows them on resume", () => {
    const { buffer, frame } = manualBuffer();
    buffer.add([line(1), line(2)]);
    frame();
    const shown = buffer.getSnapshot().lines;

    buffer.pause();
    buffer.add([line(2), line(3), line(4)]);
    frame();
    buffer.add([line(4), line(5)]);
    frame();
    expect(buffer.getSnapshot().lines).toBe(shown);
    expect(buffer.getSnapshot().heldCount).toBe(3);
    expect(ids(buffer.all())).toEqual([1, 2, 3, 4, 5]);

    buffer.add([line(6)]);
    buffer.resume();
    expect(ids(buffer.getSnapshot().lines)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(buffer.getSnapshot()).toMatchObject({ paused: false, heldCount: 0 });
  });

  it("pausing shows what had already arrived first, so the count starts from nothing", () => {
    const { buffer } = manualBuffer();
    buffer.add([line(1)]);
    buffer.pause();
    expect(ids(buffer.getSnapshot().lines)).toEqual([1]);
    expect(buffer.getSnapshot().heldCount).toBe(0);
  });

  it("bounds what it holds while paused by the cap", () => {
    const { buffer, frame } = manualBuffer(5);
    buffer.add([line(1), line(2)]);
    frame();
    buffer.pause();
    buffer.add(Array.from({ length: 8 }, (_, i) => line(i + 3)));
    frame();
    expect(buffer.getSnapshot().heldCount).toBe(8);
    buffer.resume();
    expect(ids(buffer.getSnapshot().lines)).toEqual([6, 7, 8, 9, 10]);
    expect(buffer.getSnapshot().dropped).toBe(5);
  });

  it("puts history before the shown lines and learns where the log begins", () => {
    const { buffer, frame } = manualBuffer();
    buffer.add([line(10), line(11)]);
    frame();
    buffer.addOlder([line(8), line(9), line(10)], false);
    expect(ids(buffer.getSnapshot().lines)).toEqual([8, 9, 10, 11]);
    expect(buffer.getSnapshot().reachedStart).toBe(false);
    buffer.addOlder([line(7)], true);
    expect(ids(buffer.getSnapshot().lines)).toEqual([7, 8, 9, 10, 11]);
    expect(buffer.getSnapshot().reachedStart).toBe(true);
  });

  it("keeps only the history that fits under the cap, the lines nearest the shown ones", () => {
    const { buffer, frame } = manualBuffer(4);
    buffer.add([line(10), line(11)]);
    frame();
    buffer.addOlder([line(6), line(7), line(8), line(9)], true);
    expect(ids(buffer.getSnapshot().lines)).toEqual([8, 9, 10, 11]);
    // Lines 6 and 7 exist but are not shown, so this is not the beginning.
    expect(buffer.getSnapshot().reachedStart).toBe(false);
  });
});

describe("merging lines", () => {
  it("returns the same array when nothing is new", () => {
    const base = [line(1), line(2)];
    expect(mergeLines(base, [line(2)])).toBe(base);
    expect(mergeLines(base, [])).toBe(base);
  });
});

describe("searching and saving lines", () => {
  it("filters by stream and by text, ignoring case", () => {
    const lines = [line(1, "Server READY"), line(2, "ready?", "stderr"), line(3, "boot", "system")];
    const all = new Set(["stdout", "stderr", "system"] as const);
    expect(ids(lines.filter(lineFilter({ query: "ready", streams: all })))).toEqual([1, 2]);
    expect(ids(lines.filter(lineFilter({ query: "", streams: new Set(["system"]) })))).toEqual([3]);
    // Search text is plain text, not a pattern.
    expect(ids(lines.filter(lineFilter({ query: "?", streams: all })))).toEqual([2]);
  });

  it("marks every match in a line", () => {
    expect(splitMatches("Error: an error", "ERROR")).toEqual([
      { text: "Error", match: true },
      { text: ": an ", match: false },
      { text: "error", match: true },
    ]);
    expect(splitMatches("plain", "")).toEqual([{ text: "plain", match: false }]);
  });

  it("writes a log file with a time and stream on each line", () => {
    expect(logFileText([line(1, "hi"), line(2, "oops", "stderr")])).toBe(
      "2026-01-01T12:00:01.000Z stdout hi\n2026-01-01T12:00:02.000Z stderr oops\n",
    );
    expect(logFileName("everything", new Date("2026-03-04T05:06:07.890Z"))).toBe(
      "everything-logs-2026-03-04T05-06-07Z.log",
    );
  });
});
