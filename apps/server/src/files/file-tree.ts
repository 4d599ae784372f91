import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isCode } from "./safe-path.js";

/** One file or folder in a server's folder, as the API shows it. */
export interface FileEntry {
  /** Relative POSIX path from the root of the server's folder, e.g. `reports/2024.csv`. */
  path: string;
  type: "file" | "directory";
  /** Bytes; 0 for folders. */
  size: number;
  modifiedAt: Date;
}

/**
 * Every file and folder below `root/...start`, depth first with names in code-unit order, so the
 * order is stable and a folder comes right before its contents. Symbolic links and special files
 * (sockets, FIFOs, devices) are skipped, and links to folders are never followed. Entries that the
 * server removes while we walk are skipped silently.
 */
export async function* walkTree(root: string, start: string[] = []): AsyncGenerator<FileEntry> {
  yield* walkFolder(root, start);
}

async function* walkFolder(root: string, at: string[]): AsyncGenerator<FileEntry> {
  let children: Dirent[];
  try {
    children = await readdir(join(root, ...at), { withFileTypes: true });
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "ENOTDIR")) return;
    throw err;
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    if (!child.isFile() && !child.isDirectory()) continue;
    const segments = [...at, child.name];
    const stats = await lstat(join(root, ...segments)).catch((err: unknown) => {
      if (isCode(err, "ENOENT")) return undefined;
      throw err;
    });
    // Re-checked on the lstat: the entry may have been replaced since readdir.
    if (!stats || (!stats.isFile() && !stats.isDirectory())) continue;
    const path = segments.join("/");
    if (stats.isDirectory()) {
      yield { path, type: "directory", size: 0, modifiedAt: stats.mtime };
      yield* walkFolder(root, segments);
    } else {
      yield { path, type: "file", size: stats.size, modifiedAt: stats.mtime };
    }
  }
}

/** Bytes in regular files below `root` (apparent sizes; links and special files count 0). */
export async function bytesUnder(root: string): Promise<number> {
  let total = 0;
  for await (const entry of walkTree(root)) total += entry.size;
  return total;
}
