const LF = 0x0a;
const CR = 0x0d;
const DATA = Buffer.from("data:");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits an event stream (the HTML standard's text/event-stream) into the data of its events,
 * working on the bytes as they arrive: a line is decoded only once it is whole, and only when it
 * is a `data:` line. The tracer's tap needs nothing else of a stream (ids, event types and retry
 * times are the client's business), and decoding every chunk to a string first, then splitting
 * the string, was most of what the tap cost on a 1 MiB answer (docs/benchmarks.md).
 *
 * Lines end in LF, CRLF or CR, as the standard allows; a byte order mark is skipped when the
 * first chunk holds it whole. An event whose data would pass `maxBytes` is dropped whole; the
 * events after it are split as usual. Empty data ("data:" alone) is reported as it is.
 */
export class SseDataSplitter {
  /** The current line's bytes so far, when it began in an earlier chunk. */
  private line: Buffer[] = [];
  private lineBytes = 0;
  /** A line began in an earlier chunk (kept in `line`, or dropped with an oversized event). */
  private partial = false;
  /** The current event's data lines. */
  private data: Buffer[] = [];
  private dataBytes = 0;
  private oversized = false;
  /** The last chunk ended in CR: an LF starting the next one ends nothing more. */
  private afterCr = false;
  private first = true;

  constructor(
    private readonly onData: (data: Buffer) => void,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.subarray(0, 3).equals(BOM)) start = 3;
    }
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk[start] === LF) start++;
    }
    // Most streams have no CR at all: then only LF needs looking for.
    const hasCr = chunk.indexOf(CR, start) !== -1;
    while (start < chunk.length) {
      const end = hasCr ? lineEnd(chunk, start) : chunk.indexOf(LF, start);
      if (end === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.endLine(chunk.subarray(start, end));
      start = end + 1;
      if (chunk[end] === CR) {
        if (end + 1 === chunk.length) this.afterCr = true;
        else if (chunk[end + 1] === LF) start++;
      }
    }
  }

  private keep(part: Buffer) {
    this.partial = true;
    if (this.oversized) return;
    this.line.push(part);
    this.lineBytes += part.length;
    if (this.lineBytes + this.dataBytes > this.maxBytes) this.dropEvent();
  }

  private dropEvent() {
    this.oversized = true;
    this.line = [];
    this.lineBytes = 0;
    this.data = [];
    this.dataBytes = 0;
  }

  private endLine(last: Buffer) {
    const continued = this.partial;
    this.partial = false;
    if (this.oversized) {
      // Only a blank line ends the dropped event.
      if (!continued && last.length === 0) this.dispatch();
      return;
    }
    const line = continued
      ? Buffer.concat([...this.line, last], this.lineBytes + last.length)
      : last;
    this.line = [];
    this.lineBytes = 0;
    if (line.length === 0) return this.dispatch();
    if (!line.subarray(0, DATA.length).equals(DATA)) return;
    const value = line.subarray(line[DATA.length] === 0x20 ? DATA.length + 1 : DATA.length);
    this.data.push(value);
    this.dataBytes += value.length + 1;
    if (this.dataBytes > this.maxBytes) this.dropEvent();
  }

  private dispatch() {
    const { data, oversized } = this;
    this.data = [];
    this.dataBytes = 0;
    this.oversized = false;
    if (oversized || data.length === 0) return;
    // Data lines are joined with LF, as the standard says.
    if (data.length === 1) this.onData(data[0] as Buffer);
    else this.onData(Buffer.concat(data.flatMap((d, i) => (i === 0 ? [d] : [NEWLINE, d]))));
  }
}

const NEWLINE = Buffer.from("\n");

/** Where the line starting at `start` ends (its CR or LF), or -1 when it goes on past `chunk`. */
function lineEnd(chunk: Buffer, start: number): number {
  const lf = chunk.indexOf(LF, start);
  const cr = chunk.indexOf(CR, start);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}
