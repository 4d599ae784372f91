import { open } from "node:fs/promises";

/**
 * Follows a log file that another process appends to, handing out each complete line once. A
 * gateway under load for half an hour writes hundreds of megabytes of access log: reading the
 * whole file for every reading (what `Child.output()` does) would cost the client more than the
 * load it makes, so this reads only what was added since the last call.
 */
export class LogTail {
  #offset: number;
  #partial = "";

  /** Starts at `offset` (0: the first line of the file). */
  constructor(
    readonly path: string,
    offset = 0,
  ) {
    this.#offset = offset;
  }

  /** A tail that skips what the file holds now. */
  static async atEnd(path: string): Promise<LogTail> {
    const file = await open(path, "r");
    try {
      return new LogTail(path, (await file.stat()).size);
    } finally {
      await file.close();
    }
  }

  /** The lines completed since the last call; a line still being written waits for the next. */
  async lines(): Promise<string[]> {
    const file = await open(this.path, "r");
    try {
      const { size } = await file.stat();
      if (size <= this.#offset) return [];
      const buffer = Buffer.alloc(size - this.#offset);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, this.#offset);
      this.#offset += bytesRead;
      // Lines are ASCII here (the gc hook's, JSON logs): a chunk never splits a character that matters.
      const text = this.#partial + buffer.subarray(0, bytesRead).toString("utf8");
      const lines = text.split("\n");
      this.#partial = lines.pop() ?? "";
      return lines;
    } finally {
      await file.close();
    }
  }
}
