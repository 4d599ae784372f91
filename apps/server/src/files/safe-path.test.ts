import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../lib/errors.js";
import {
  assertRealPathInside,
  isInside,
  MAX_PATH_CHARS,
  MAX_SEGMENT_BYTES,
  openFileInside,
  parseRelativePath,
  walkFolders,
} from "./safe-path.js";

/** The error `fn` throws, which must be a DomainError. */
function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

async function rejected(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => new Error("expected a DomainError, nothing was thrown"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("parseRelativePath", () => {
  it.each([
    ["notes.txt", ["notes.txt"]],
    ["a/b/c.json", ["a", "b", "c.json"]],
    ["weird name (1).md", ["weird name (1).md"]],
    ["données/résumé été.txt", ["données", "résumé été.txt"]],
    ["日本語/ファイル.txt", ["日本語", "ファイル.txt"]],
    ["emoji 🎉.png", ["emoji 🎉.png"]],
    [".env", [".env"]],
    ["a/.hidden/b", ["a", ".hidden", "b"]],
    ["...", ["..."]],
    ["..foo/bar..", ["..foo", "bar.."]],
    ["a:b;c'd\"e$f%g", ["a:b;c'd\"e$f%g"]],
    ["files-evil", ["files-evil"]],
  ])("accepts %j", (input, segments) => {
    expect(parseRelativePath(input)).toEqual(segments);
  });

  it("accepts a path of exactly the maximum length and segments of exactly 255 bytes", () => {
    const segment = "x".repeat(MAX_SEGMENT_BYTES);
    expect(parseRelativePath(segment)).toEqual([segment]);
    const long = `${"a/".repeat(MAX_PATH_CHARS / 2 - 1)}bb`;
    expect(long).toHaveLength(MAX_PATH_CHARS);
    expect(parseRelativePath(long)).toHaveLength(512);
  });

  it.each([
    ["empty", ""],
    ["absolute", "/etc/passwd"],
    ["absolute inside-looking", "/data/notes.txt"],
    [".. at the start", "../secret"],
    [".. in the middle", "a/../../etc/passwd"],
    [".. at the end", "a/.."],
    ["only ..", ".."],
    ["decoded ..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"],
    ["only .", "."],
    ["a . segment", "a/./b"],
    ["a leading ./", "./a"],
    ["an empty segment", "a//b"],
    ["a trailing slash", "a/"],
    ["a backslash", "a\\b"],
    ["a Windows-style escape", "..\\..\\windows"],
    ["a NUL byte", "a\0b"],
    ["a newline", "a\nb"],
    ["a tab", "a\tb"],
    ["an escape sequence", "\x1b[31mred"],
    ["DEL", "a\x7fb"],
    ["a C1 control (NEL)", "a\u0085b"],
    ["an unpaired surrogate", "a\ud800b"],
    ["a path over the maximum length", `${"a/".repeat(MAX_PATH_CHARS / 2)}b`],
    ["an ASCII segment over 255 bytes", "x".repeat(MAX_SEGMENT_BYTES + 1)],
    ["a short multi-byte segment over 255 bytes", "€".repeat(86)],
  ])("rejects %s", (_what, input) => {
    const err = caught(() => parseRelativePath(input));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.extra.fields).toEqual([{ field: "path", detail: expect.any(String) }]);
  });

  it("names the field it was given", () => {
    const err = caught(() => parseRelativePath("../x", "prefix"));
    expect(err.extra.fields?.[0]?.field).toBe("prefix");
    expect(err.message).toMatch(/prefix/);
  });
});

describe("isInside", () => {
  const root = "/root/srv_a/files";

  it("accepts the root itself and what lies beneath it", () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, "/root/srv_a/files/a")).toBe(true);
    expect(isInside(root, "/root/srv_a/files/a/b/c.json")).toBe(true);
    expect(isInside(root, "/root/srv_a/files/..hidden")).toBe(true);
  });

  it("rejects a sibling that merely shares the prefix", () => {
    expect("/root/srv_a/files-evil".startsWith(root)).toBe(true); // the naive check passes
    expect(isInside(root, "/root/srv_a/files-evil")).toBe(false);
    expect(isInside(root, "/root/srv_a/files-evil/x")).toBe(false);
    expect(isInside(root, "/root/srv_a/filesx")).toBe(false);
  });

  it("rejects parents and unrelated paths", () => {
    expect(isInside(root, "/root/srv_a")).toBe(false);
    expect(isInside(root, "/root/srv_b/files")).toBe(false);
    expect(isInside(root, "/etc/passwd")).toBe(false);
    expect(isInside(root, "/")).toBe(false);
  });
});

describe("filesystem checks", () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), "mcphost-safe-path-")));
    root = join(base, "srv_a", "files");
    outside = join(base, "outside");
    await mkdir(root, { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, "secret.txt"), "secret");
    await mkdir(join(root, "docs"));
    await writeFile(join(root, "docs", "notes.txt"), "hello");
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  describe("walkFolders", () => {
    it("reports folders that exist, are missing, or are files", async () => {
      const opts = { field: "path", create: false };
      expect(await walkFolders(root, [], opts)).toEqual({ state: "ok" });
      expect(await walkFolders(root, ["docs"], opts)).toEqual({ state: "ok" });
      expect(await walkFolders(root, ["nope", "deeper"], opts)).toEqual({ state: "missing" });
      expect(await walkFolders(root, ["docs", "notes.txt", "x"], opts)).toEqual({
        state: "not-a-folder",
        at: "docs/notes.txt",
      });
    });

    it("creates missing folders when asked", async () => {
      const result = await walkFolders(root, ["a", "b", "c"], { field: "path", create: true });
      expect(result).toEqual({ state: "ok" });
      expect(existsSync(join(root, "a", "b", "c"))).toBe(true);
    });

    it("refuses a link to a folder outside, and creates nothing through it", async () => {
      await symlink(outside, join(root, "escape"));
      const err = await rejected(
        walkFolders(root, ["escape", "made"], { field: "path", create: true }),
      );
      expect(err.code).toBe("VALIDATION_FAILED");
      expect(err.extra.fields?.[0]).toMatchObject({ field: "path" });
      expect(existsSync(join(outside, "made"))).toBe(false);
    });

    it("refuses a relative link into the sibling folder that shares the prefix", async () => {
      const sibling = join(base, "srv_a", "files-evil");
      await mkdir(sibling);
      await symlink("../files-evil", join(root, "sib"));
      const err = await rejected(walkFolders(root, ["sib"], { field: "path", create: false }));
      expect(err.code).toBe("VALIDATION_FAILED");
    });

    it("refuses even a link that points inside", async () => {
      await symlink("docs", join(root, "alias"));
      await rejected(walkFolders(root, ["alias"], { field: "path", create: false }));
    });
  });

  describe("assertRealPathInside", () => {
    it("compares real paths, not spellings", async () => {
      await assertRealPathInside(root, join(root, "docs"), "path");
      const sibling = join(base, "srv_a", "files-evil");
      await mkdir(sibling);
      await symlink(sibling, join(root, "sib"));
      const err = await rejected(assertRealPathInside(root, join(root, "sib"), "path"));
      expect(err.code).toBe("VALIDATION_FAILED");
    });
  });

  describe("openFileInside", () => {
    it("opens a regular file", async () => {
      const opened = await openFileInside(root, ["docs", "notes.txt"]);
      expect(opened?.stats.size).toBe(5);
      expect((await opened?.handle.readFile())?.toString()).toBe("hello");
      await opened?.handle.close();
    });

    it("returns undefined when nothing is there", async () => {
      expect(await openFileInside(root, ["docs", "missing.txt"])).toBeUndefined();
      expect(await openFileInside(root, ["nope", "x.txt"])).toBeUndefined();
      expect(await openFileInside(root, ["docs", "notes.txt", "x"])).toBeUndefined();
    });

    it("refuses a link to a file outside", async () => {
      await symlink(join(outside, "secret.txt"), join(root, "link.txt"));
      const err = await rejected(openFileInside(root, ["link.txt"]));
      expect(err.code).toBe("VALIDATION_FAILED");
    });

    it("refuses a relative link that climbs out", async () => {
      await symlink("../../outside/secret.txt", join(root, "climb.txt"));
      await rejected(openFileInside(root, ["climb.txt"]));
    });

    it("refuses a file reached through a linked folder", async () => {
      await symlink(outside, join(root, "escape"));
      await rejected(openFileInside(root, ["escape", "secret.txt"]));
      expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
    });

    it("refuses folders and special files without blocking on a FIFO", async () => {
      expect((await rejected(openFileInside(root, ["docs"]))).code).toBe("CONFLICT");
      execFileSync("mkfifo", [join(root, "pipe")]);
      expect((await rejected(openFileInside(root, ["pipe"]))).code).toBe("CONFLICT");
    });
  });
});
