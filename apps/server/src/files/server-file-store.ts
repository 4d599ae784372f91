import { randomUUID } from "node:crypto";
import type { Stats } from "node:fs";
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  realpath,
  rename,
  rm,
  unlink,
} from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { DomainError, notFound } from "../lib/errors.js";
import { bytesUnder, type FileEntry, walkTree } from "./file-tree.js";
import {
  invalidInput,
  isCode,
  lstatOrUndefined,
  openFileInside,
  parseRelativePath,
  walkFolders,
} from "./safe-path.js";

export type { FileEntry } from "./file-tree.js";

export const DEFAULT_MAX_LIST_ENTRIES = 10_000;

/** Server ids become folder names, so they are checked even though callers pass real ids. */
const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ServerFileStoreOptions {
  /** Host folder holding one folder per server. `<rootDir>/<serverId>/files` is mounted at /data. */
  rootDir: string;
  /** Largest single upload, in bytes. */
  maxFileBytes: number;
  /** Most bytes a server's folder may hold after an upload, in bytes. */
  quotaBytes: number;
  /** Most entries `list` returns. */
  maxListEntries?: number;
}

export interface FileListing {
  items: FileEntry[];
  /** True when there were more than `maxListEntries` entries and the rest were left out. */
  truncated: boolean;
}

export interface FileDownload {
  /** The file's bytes; cancel it to stop early (it closes the file). Exactly `size` bytes long. */
  stream: ReadableStream<Uint8Array>;
  size: number;
  modifiedAt: Date;
}

export interface WriteResult {
  entry: FileEntry;
  /** True when something (a file, or a link, which is replaced and not followed) was there. */
  replaced: boolean;
}

export type UploadBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Host-side storage of each server's files. Layout per server:
 * `<rootDir>/<serverId>/files/` (mounted read-write at /data; everything the API shows) and
 * `<rootDir>/<serverId>/staging/` (uploads in progress and folders being deleted; never mounted,
 * on the same filesystem so that moving in and out is an atomic rename).
 *
 * Paths are relative POSIX paths checked by `safe-path.ts`; symbolic links are never followed.
 * Limits apply to uploads through this store: the server itself can still write past the quota
 * (only a filesystem quota or a sized volume stops that), but it counts against later uploads.
 */
export function createServerFileStore(options: ServerFileStoreOptions) {
  const rootDir = resolve(options.rootDir);
  const { maxFileBytes, quotaBytes } = options;
  const maxListEntries = options.maxListEntries ?? DEFAULT_MAX_LIST_ENTRIES;
  /** Bytes received per server by uploads not yet committed: they are not in `files/` yet. */
  const receiving = new Map<string, number>();
  /** Commits (quota check + rename) and removals run one at a time per server. */
  const commits = createKeyedLock();

  function serverDir(serverId: string): string {
    if (!SERVER_ID.test(serverId)) throw invalidInput("serverId", "is not a valid server id");
    return join(rootDir, serverId);
  }

  const tooLarge = () =>
    new DomainError(
      "FILE_TOO_LARGE",
      `The file is larger than the ${formatBytes(maxFileBytes)} limit`,
    );
  const overQuota = () =>
    new DomainError(
      "FILES_QUOTA_EXCEEDED",
      `The upload would take this server's files over their ${formatBytes(quotaBytes)} quota`,
    );

  function addReceiving(serverId: string, bytes: number): number {
    const total = (receiving.get(serverId) ?? 0) + bytes;
    if (total === 0) receiving.delete(serverId);
    else receiving.set(serverId, total);
    return total;
  }

  /** The server's folder, created if needed. This is what runtimes mount at /data. */
  async function dirFor(serverId: string): Promise<string> {
    const dir = join(serverDir(serverId), "files");
    await mkdir(dir, { recursive: true, mode: 0o755 });
    return dir;
  }

  /** The real path of the server's folder: every containment check compares against it. */
  const realRoot = async (serverId: string) => realpath(await dirFor(serverId));

  /** What is at `segments` now, after checking the folders on the way (none may be a file). */
  async function inspectTarget(root: string, segments: string[], path: string) {
    const parents = await walkFolders(root, segments.slice(0, -1), {
      field: "path",
      create: false,
    });
    if (parents.state === "not-a-folder") {
      throw new DomainError("CONFLICT", `"${parents.at}" is a file, so it cannot hold "${path}"`);
    }
    if (parents.state === "missing") return undefined;
    const existing = await lstatOrUndefined(join(root, ...segments));
    if (existing?.isDirectory()) throw new DomainError("CONFLICT", `"${path}" is a folder`);
    return existing;
  }

  const replacedBytes = (existing: Stats | undefined) => (existing?.isFile() ? existing.size : 0);

  /** Under the server's commit lock: the authoritative quota check, then the atomic rename. */
  async function commit(
    root: string,
    segments: string[],
    temp: string,
    size: number,
  ): Promise<WriteResult> {
    const path = segments.join("/");
    const existing = await inspectTarget(root, segments, path);
    if ((await bytesUnder(root)) - replacedBytes(existing) + size > quotaBytes) throw overQuota();
    const parents = await walkFolders(root, segments.slice(0, -1), { field: "path", create: true });
    if (parents.state === "not-a-folder") {
      throw new DomainError("CONFLICT", `"${parents.at}" is a file, so it cannot hold "${path}"`);
    }
    const target = join(root, ...segments);
    try {
      await rename(temp, target);
    } catch (err) {
      // A folder appeared there since inspectTarget (made by the server itself).
      if (isCode(err, "EISDIR") || isCode(err, "ENOTEMPTY") || isCode(err, "EEXIST")) {
        throw new DomainError("CONFLICT", `"${path}" is a folder`);
      }
      throw err;
    }
    const stats = await lstat(target);
    return {
      entry: { path, type: "file", size: stats.size, modifiedAt: stats.mtime },
      replaced: existing !== undefined,
    };
  }

  return {
    maxFileBytes,
    quotaBytes,
    dirFor,

    /**
     * Files and folders below `prefix` (a folder; the whole tree when omitted), depth first, with
     * paths relative to the server's folder. A prefix that is missing or not a folder lists nothing.
     */
    async list(serverId: string, prefix?: string): Promise<FileListing> {
      const root = await realRoot(serverId);
      const start = prefix ? parseRelativePath(prefix, "prefix") : [];
      const folders = await walkFolders(root, start, { field: "prefix", create: false });
      if (folders.state !== "ok") return { items: [], truncated: false };
      const items: FileEntry[] = [];
      for await (const entry of walkTree(root, start)) {
        if (items.length === maxListEntries) return { items, truncated: true };
        items.push(entry);
      }
      return { items, truncated: false };
    },

    /**
     * Streams `body` into the file at `path`, creating folders on the way and replacing a file
     * that is there. Readers never see a partial file: the bytes go to `staging/` and are renamed
     * into place once complete. On any failure nothing is left behind and the file that was there
     * is unchanged.
     *
     * `declaredSize` (e.g. Content-Length) lets limits fail before anything is read. Either way,
     * reading stops as soon as the file passes `maxFileBytes` or the folder would pass
     * `quotaBytes` (its usage minus the file replaced plus the new bytes, counting other uploads
     * still in progress). A `ReadableStream` body is not cancelled on failure: the caller decides
     * what becomes of the rest (an HTTP server answers first, then drains or closes).
     * Throws DomainError: FILE_TOO_LARGE, FILES_QUOTA_EXCEEDED, VALIDATION_FAILED (for the path,
     * or a body longer or shorter than declared), CONFLICT (when a folder is in the way).
     */
    async write(
      serverId: string,
      path: string,
      body: UploadBody,
      declaredSize?: number,
    ): Promise<WriteResult> {
      const segments = parseRelativePath(path);
      if (declaredSize !== undefined && declaredSize > maxFileBytes) throw tooLarge();
      const root = await realRoot(serverId);
      const usageBefore =
        (await bytesUnder(root)) - replacedBytes(await inspectTarget(root, segments, path));
      const receivingElsewhere = receiving.get(serverId) ?? 0;
      if (
        declaredSize !== undefined &&
        usageBefore + receivingElsewhere + declaredSize > quotaBytes
      ) {
        throw overQuota();
      }

      const staging = join(serverDir(serverId), "staging");
      await mkdir(staging, { recursive: true, mode: 0o700 });
      const temp = join(staging, `${randomUUID()}.part`);
      let handle: FileHandle | undefined = await open(temp, "wx", 0o644);
      let received = 0;
      try {
        for await (const chunk of chunksOf(body)) {
          received += chunk.byteLength;
          const receivingTotal = addReceiving(serverId, chunk.byteLength);
          if (received > maxFileBytes) throw tooLarge();
          if (declaredSize !== undefined && received > declaredSize) {
            throw invalidInput("body", `is longer than the ${declaredSize} bytes declared`);
          }
          if (usageBefore + receivingTotal > quotaBytes) throw overQuota();
          await handle.write(chunk);
        }
        if (declaredSize !== undefined && received < declaredSize) {
          throw invalidInput(
            "body",
            `ended after ${received} of the ${declaredSize} bytes declared`,
          );
        }
        await handle.sync(); // the rename must not publish a file whose bytes a crash could lose
        await handle.close();
        handle = undefined;
        return await commits.run(serverId, () => commit(root, segments, temp, received));
      } catch (err) {
        await handle?.close().catch(() => {});
        await rm(temp, { force: true });
        throw err;
      } finally {
        addReceiving(serverId, -received);
      }
    },

    /** The regular file at `path`, streamed. NOT_FOUND when there is none; links are refused. */
    async read(serverId: string, path: string): Promise<FileDownload> {
      const segments = parseRelativePath(path);
      const opened = await openFileInside(await realRoot(serverId), segments);
      if (!opened) throw notFound("File");
      const { handle, stats } = opened;
      return { stream: streamOf(handle, stats.size), size: stats.size, modifiedAt: stats.mtime };
    },

    /**
     * Deletes the file (or link: the link itself, never its target) at `path`. A folder needs
     * `recursive: true`, even an empty one, and goes with everything in it.
     */
    async delete(serverId: string, path: string, options: { recursive?: boolean } = {}) {
      const segments = parseRelativePath(path);
      const root = await realRoot(serverId);
      const parents = await walkFolders(root, segments.slice(0, -1), {
        field: "path",
        create: false,
      });
      const target = join(root, ...segments);
      const stats = parents.state === "ok" ? await lstatOrUndefined(target) : undefined;
      if (!stats) throw notFound("File");
      try {
        if (!stats.isDirectory()) {
          await unlink(target);
          return;
        }
        if (!options.recursive) {
          throw new DomainError("CONFLICT", `"${path}" is a folder; delete it with recursive=true`);
        }
        // Move the tree out of the server's reach first, so it cannot swap a link into the tree
        // while it is being deleted and send the deletion elsewhere.
        const staging = join(serverDir(serverId), "staging");
        await mkdir(staging, { recursive: true, mode: 0o700 });
        const trash = join(staging, `${randomUUID()}.deleted`);
        await rename(target, trash);
        await rm(trash, { recursive: true, force: true });
      } catch (err) {
        if (isCode(err, "ENOENT")) throw notFound("File");
        throw err;
      }
    },

    /** Bytes in the server's regular files. */
    async usage(serverId: string): Promise<number> {
      return bytesUnder(await realRoot(serverId));
    },

    /** Deletes everything the server has (for when the server is deleted; stop it first). */
    async removeAll(serverId: string): Promise<void> {
      const dir = serverDir(serverId);
      await commits.run(serverId, async () => {
        // Renamed first so that a server recreated with the same id never sees a half-deleted tree.
        const trash = join(rootDir, `.removed-${randomUUID()}`);
        try {
          await rename(dir, trash);
        } catch (err) {
          if (isCode(err, "ENOENT")) return;
          throw err;
        }
        await rm(trash, { recursive: true, force: true });
      });
    },
  };
}

export type ServerFileStore = ReturnType<typeof createServerFileStore>;

function chunksOf(body: UploadBody): AsyncIterable<Uint8Array> {
  // preventCancel: stopping early must leave the source to its owner (see `write`).
  return "getReader" in body ? body.values({ preventCancel: true }) : body;
}

/** Exactly `size` bytes of the open file: a file the server is still appending to is cut there. */
function streamOf(handle: FileHandle, size: number): ReadableStream<Uint8Array> {
  if (size === 0) {
    void handle.close();
    return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  }
  const nodeStream = handle.createReadStream({ start: 0, end: size - 1 });
  return Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
}

/** Runs tasks with the same key one after another, in call order. */
function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.catch(() => {});
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}

function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && value % 1024 === 0 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value} ${units[unit]}`;
}
