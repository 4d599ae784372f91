import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { SseDataSplitter } from "./sse-data.js";

/** The data of each event `splitter` finds in `stream` fed in chunks cut at `cuts`. */
function split(stream: Buffer, cuts: number[], maxBytes = 1 << 20): string[] {
  const found: string[] = [];
  const splitter = new SseDataSplitter((data) => found.push(data.toString("utf8")), maxBytes);
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    splitter.push(stream.subarray(from, cut));
    from = cut;
  }
  return found;
}

/**
 * What eventsource-parser (the MCP SDK's own) finds in the same stream. It holds a CR that ends
 * its input until it sees whether an LF follows, so the stream's end is marked with one (a
 * blank line more, or the LF of a CRLF: neither adds an event).
 */
function reference(stream: Buffer): string[] {
  const found: string[] = [];
  const parser = createParser({ onEvent: (event) => found.push(event.data) });
  parser.feed(`${stream.toString("utf8")}\n`);
  return found;
}

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n;
  };
}

const PIECES = ["plain", "", "é ü 😀", '{"id":1}', ":colon", " lead", "data: nested"];

function randomStream(pick: (n: number) => number): string {
  let text = "";
  for (let event = 0; event < 1 + pick(5); event++) {
    const eol = ["\n", "\r\n", "\r"][pick(3)] as string;
    if (pick(3) === 0) text += `: a comment${eol}`;
    if (pick(2) === 0) text += `event: message${eol}id: ${event}${eol}`;
    for (let line = 0; line < pick(4); line++)
      text += `data:${pick(2) ? " " : ""}${PIECES[pick(PIECES.length)]}${eol}`;
    text += eol;
  }
  return text;
}

describe("splitting an event stream into its events' data", () => {
  it("finds what the SDK's parser finds, however the stream is cut", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const float = random(seed);
      const pick = (n: number) => Math.floor(float(n));
      const stream = Buffer.from(randomStream(pick));
      const cuts = Array.from({ length: pick(6) }, () => pick(stream.length + 1)).sort(
        (a, b) => a - b,
      );
      expect(split(stream, cuts), `seed ${seed}`).toEqual(reference(stream));
    }
  });

  it("skips a byte order mark at the start, as the standard says (the reference does not)", () => {
    const stream = Buffer.from("\uFEFFdata: first\n\n");
    for (const cuts of [[], [0], [3], [3, 4]]) expect(split(stream, cuts)).toEqual(["first"]);
  });

  it("drops an event whose data passes the cap, and keeps the ones around it", () => {
    const stream = Buffer.from(
      `data: before\n\ndata: ${"x".repeat(300)}\ndata: more\n\ndata: after\n\n`,
    );
    const everyCut = Array.from({ length: stream.length }, (_, i) => i);
    for (const cuts of [[], [20], [40, 41, 42], everyCut])
      expect(split(stream, cuts, 100)).toEqual(["before", "after"]);
  });
});
