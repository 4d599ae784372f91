import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LogTail } from "./log-tail.js";

describe("following a log file", () => {
  const dirs: string[] = [];
  const file = async (content: string) => {
    const dir = await mkdtemp(join(tmpdir(), "log-tail-"));
    dirs.push(dir);
    const path = join(dir, "gateway.log");
    await writeFile(path, content);
    return path;
  };
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true }))));

  it("hands out each complete line once, holding back a line still being written", async () => {
    const path = await file("one\ntw");
    const tail = new LogTail(path);
    expect(await tail.lines()).toEqual(["one"]);
    expect(await tail.lines()).toEqual([]);
    await appendFile(path, "o\nthree\n");
    expect(await tail.lines()).toEqual(["two", "three"]);
  });

  it("starts after what the file already holds", async () => {
    const path = await file("old\n");
    const tail = await LogTail.atEnd(path);
    await appendFile(path, "new\n");
    expect(await tail.lines()).toEqual(["new"]);
  });
});
