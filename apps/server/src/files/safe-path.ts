import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, mkdir, open, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { DomainError } from "../lib/errors.js";

/**
 * Path safety for a server's folder. A server writes into its own folder (mounted at /data), so
 * anything in it, symbolic links included, may have been planted to make the host read, write or
 * delete outside it. Two layers guard every operation:
 *
 * 1. `parseRelativePath` rejects, by syntax alone, any path that could name something outside.
 * 2. The filesystem helpers never follow a symbolic link (they `lstat` each folder on the way and
 *    open files with O_NOFOLLOW) and compare real paths with the folder's real path before acting.
 *
 * Links are refused outright, even ones that point inside: a link the server made means something
 * in the server's mount namespace (`/data/x` there is `<folder>/x` here), so following it on the
 * host is never right.
 *
 * Residual risk: Node has no openat()/renameat(), so a server that swaps a folder for a link in the
 * microseconds between our last check and a rename or unlink could redirect that one call. Reads
 * are not affected (the opened file's identity is checked after opening).
 */

export const MAX_PATH_CHARS = 1024;
export const MAX_SEGMENT_BYTES = 255;

/** Control characters (C0, DEL, C1) and unpaired surrogates, which have no file-name encoding. */
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

export function invalidInput(field: string, detail: string): DomainError {
  return new DomainError("VALIDATION_FAILED", `Invalid ${field}: ${detail}`, {
    fields: [{ field, detail }],
  });
}

const symlinkRefused = (field: string) =>
  invalidInput(field, "goes through a symbolic link; links are not followed");

/**
 * Checks a caller's relative POSIX path (`a/b/c.json`) and returns its segments.
 * Throws VALIDATION_FAILED naming `field` for anything that is not a plain relative path.
 */
export function parseRelativePath(input: string, field = "path"): string[] {
  if (input.length === 0) throw invalidInput(field, "must not be empty");
  if (input.length > MAX_PATH_CHARS) {
    throw invalidInput(field, `must be at most ${MAX_PATH_CHARS} characters`);
  }
  if (input.includes("\0")) throw invalidInput(field, "must not contain NUL bytes");
  if (input.includes("\\")) throw invalidInput(field, "must not contain backslashes; use /");
  if (CONTROL.test(input)) throw invalidInput(field, "must not contain control characters");
  if (LONE_SURROGATE.test(input)) throw invalidInput(field, "must be valid Unicode");
  if (input.startsWith("/")) {
    throw invalidInput(field, "must be relative to the server's folder, not absolute");
  }
  const segments = input.split("/");
  for (const segment of segments) {
    if (segment === "") {
      throw invalidInput(field, "must not contain empty segments (// or a trailing /)");
    }
    if (segment === "." || segment === "..") {
      throw invalidInput(field, "must not contain . or .. segments");
    }
    if (Buffer.byteLength(segment, "utf8") > MAX_SEGMENT_BYTES) {
      throw invalidInput(field, `each segment must be at most ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  return segments;
}

/**
 * True when `candidate` is `root` or lies beneath it. Both must be absolute and normalised.
 * Not a string-prefix test: `/srv/a/files-evil` is not inside `/srv/a/files`.
 */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `lstat`, or undefined when nothing is there. */
export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "ENOTDIR")) return undefined;
    throw err;
  }
}

export function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

/** What `walkFolders` found. */
export type FolderWalk =
  | { state: "ok" }
  | { state: "missing" }
  /** `at` is the relative path of the file standing where a folder is needed. */
  | { state: "not-a-folder"; at: string };

/**
 * Checks that each of `folders` (segments below `root`, a real path) is a folder, without following
 * links. With `create`, makes the missing ones. Throws VALIDATION_FAILED naming `field` when one is
 * a symbolic link or, once all exist, the last one's real path is not inside `root`.
 * Pass a path's segments but the last to check the folders leading to it.
 */
export async function walkFolders(
  root: string,
  folders: string[],
  options: { field: string; create: boolean },
): Promise<FolderWalk> {
  let current = root;
  for (const [i, name] of folders.entries()) {
    current = join(current, name);
    let st = await lstatOrUndefined(current);
    if (!st && options.create) {
      try {
        await mkdir(current, { mode: 0o755 });
      } catch (err) {
        if (!isCode(err, "EEXIST")) throw err; // made meanwhile: inspect what it is below
      }
      st = await lstatOrUndefined(current);
    }
    if (!st) return { state: "missing" };
    if (st.isSymbolicLink()) throw symlinkRefused(options.field);
    if (!st.isDirectory()) return { state: "not-a-folder", at: folders.slice(0, i + 1).join("/") };
  }
  await assertRealPathInside(root, current, options.field);
  return { state: "ok" };
}

/** Throws VALIDATION_FAILED naming `field` unless `path`'s real path is inside `root`. */
export async function assertRealPathInside(root: string, path: string, field: string) {
  if (!isInside(root, await realpath(path))) throw symlinkRefused(field);
}

/** The real path of `path` and what it names, following links; undefined if nothing is there. */
async function whatIsAt(path: string): Promise<{ real: string; stats: Stats } | undefined> {
  try {
    const real = await realpath(path);
    return { real, stats: await stat(real) };
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "ENOTDIR")) return undefined;
    throw err;
  }
}

/** A regular file opened for reading inside a server's folder. */
export interface OpenedFile {
  handle: FileHandle;
  stats: Stats;
}

/**
 * Opens the regular file at `segments` below `root` (a real path) for reading, without following
 * links anywhere on the way. Returns undefined when there is nothing there. Throws
 * VALIDATION_FAILED for links, and CONFLICT for folders and special files (a FIFO would block).
 */
export async function openFileInside(
  root: string,
  segments: string[],
  field = "path",
): Promise<OpenedFile | undefined> {
  const parents = await walkFolders(root, segments.slice(0, -1), { field, create: false });
  if (parents.state !== "ok") return undefined;
  const absolute = join(root, ...segments);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a file.
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "ENOTDIR")) return undefined;
    if (isCode(err, "ELOOP")) throw symlinkRefused(field);
    throw err;
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      throw new DomainError("CONFLICT", `"${segments.join("/")}" is a folder, not a file`);
    }
    if (!stats.isFile()) {
      throw new DomainError("CONFLICT", `"${segments.join("/")}" is not a regular file`);
    }
    // The checks above raced with the server: make sure what we opened is what lies inside now.
    const now = await whatIsAt(absolute);
    if (!now) {
      await handle.close(); // removed since we opened it
      return undefined;
    }
    if (!isInside(root, now.real) || now.stats.ino !== stats.ino || now.stats.dev !== stats.dev) {
      throw symlinkRefused(field);
    }
    return { handle, stats };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
