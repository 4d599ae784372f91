import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { updateBenchmarksDoc } from "./markdown.js";

describe("docs/benchmarks.md", () => {
  const dirs: string[] = [];
  const doc = async (content?: string) => {
    const dir = await mkdtemp(join(tmpdir(), "bench-doc-"));
    dirs.push(dir);
    const path = join(dir, "benchmarks.md");
    if (content !== undefined) await writeFile(path, content);
    return path;
  };
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true }))));

  it("replaces only the latest run between its markers", async () => {
    const path = await doc();
    await updateBenchmarksDoc(path, "first table\n");
    const created = await readFile(path, "utf8");
    expect(created).toContain("first table");
    await writeFile(path, `intro\n\n${created}\n## Before and after\n\nkept\n`);
    await updateBenchmarksDoc(path, "second table\n");
    const updated = await readFile(path, "utf8");
    expect(updated).toContain("second table");
    expect(updated).not.toContain("first table");
    expect(updated.startsWith("intro")).toBe(true);
    expect(updated).toContain("## Before and after\n\nkept");
  });

  it("appends the block to a document that has no markers yet", async () => {
    const path = await doc("# Benchmarks\n\nWritten by hand.\n");
    await updateBenchmarksDoc(path, "table\n");
    const text = await readFile(path, "utf8");
    expect(text).toMatch(
      /Written by hand\.\n\n## Latest run\n\n<!-- bench:latest:start[^\n]*\ntable\n<!-- bench:latest:end -->/,
    );
  });
});
