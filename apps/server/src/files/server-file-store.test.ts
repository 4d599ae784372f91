import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../lib/errors.js";
import { createServerFileStore, type ServerFileStore } from "./server-file-store.js";

const KiB = 1024;
const SRV = "srv_a";

let base: string;
let outside: string;
let store: ServerFileStore;
let files: string;

function makeStore(limits: {
  maxFileBytes?: number;
  quotaBytes?: number;
  maxListEntries?: number;
}) {
  return createServerFileStore({
    rootDir: join(base, "servers"),
    maxFileBytes: limits.maxFileBytes ?? 16 * KiB,
    quotaBytes: limits.quotaBytes ?? 64 * KiB,
    ...(limits.maxListEntries ? { maxListEntries: limits.maxListEntries } : {}),
  });
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "mcphost-files-")));
  outside = join(base, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), "secret");
  store = makeStore({});
  files = await store.dirFor(SRV);
});
afterEach(() => rm(base, { recursive: true, force: true }));

/** `count` chunks of `size` bytes each; `pulled()` tells how many the consumer asked for. */
function chunks(count: number, size: number, fill = 0x61) {
  let pulled = 0;
  async function* generate() {
    for (let i = 0; i < count; i++) {
      pulled++;
      yield new Uint8Array(size).fill(fill);
    }
  }
  return { body: generate(), pulled: () => pulled };
}

async function* bytes(text: string) {
  yield new TextEncoder().encode(text);
}

/** A body the test feeds by hand, to look at the store in the middle of an upload. */
function manualBody() {
  const queue: Array<Uint8Array | Error | null> = [];
  let wake: (() => void) | undefined;
  const put = (item: Uint8Array | Error | null) => {
    queue.push(item);
    wake?.();
  };
  return {
    send: (size: number) => put(new Uint8Array(size).fill(0x62)),
    end: () => put(null),
    fail: (err: Error) => put(err),
    body: (async function* () {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const item = queue.shift();
        if (item === null || item === undefined) return;
        if (item instanceof Error) throw item;
        yield item;
      }
    })(),
  };
}

async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}

async function text(serverId: string, path: string): Promise<string> {
  return textOf((await store.read(serverId, path)).stream);
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw err;
  return err;
}

const staged = () => readdir(join(base, "servers", SRV, "staging")).catch(() => []);

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
}

describe("dirFor", () => {
  it("creates <root>/<serverId>/files and returns its absolute path", async () => {
    expect(files).toBe(join(base, "servers", SRV, "files"));
    expect((await stat(files)).isDirectory()).toBe(true);
    expect(await store.dirFor(SRV)).toBe(files); // idempotent
  });

  it("refuses server ids that are not plain names", async () => {
    for (const id of ["..", "../srv_b", "a/b", "", ".hidden", "x".repeat(65)]) {
      expect((await failure(store.dirFor(id))).code).toBe("VALIDATION_FAILED");
    }
  });
});

describe("write and read", () => {
  it("streams an upload to disk and reads it back", async () => {
    const { body } = chunks(10, KiB);
    const result = await store.write(SRV, "data/blob.bin", body);
    expect(result.replaced).toBe(false);
    expect(result.entry).toMatchObject({ path: "data/blob.bin", type: "file", size: 10 * KiB });
    expect(result.entry.modifiedAt).toBeInstanceOf(Date);
    expect((await stat(join(files, "data", "blob.bin"))).size).toBe(10 * KiB);
    const read = await store.read(SRV, "data/blob.bin");
    expect(read.size).toBe(10 * KiB);
    expect(await textOf(read.stream)).toBe("a".repeat(10 * KiB));
  });

  it("accepts a web ReadableStream and reads an empty file", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("hello "));
        controller.enqueue(new TextEncoder().encode("world"));
        controller.close();
      },
    });
    await store.write(SRV, "greeting.txt", stream, 11);
    expect(await text(SRV, "greeting.txt")).toBe("hello world");
    await store.write(SRV, "empty", chunks(0, 0).body);
    expect(await store.read(SRV, "empty")).toMatchObject({ size: 0 });
    expect(await text(SRV, "empty")).toBe("");
  });

  it("replaces a file and says so", async () => {
    await store.write(SRV, "notes.txt", bytes("first"));
    const second = await store.write(SRV, "notes.txt", bytes("second"));
    expect(second.replaced).toBe(true);
    expect(await text(SRV, "notes.txt")).toBe("second");
  });

  it("keeps legitimate unusual names", async () => {
    for (const name of ["weird name (1).md", "données/résumé été.txt", "日本語.txt", ".env"]) {
      await store.write(SRV, name, bytes(name));
      expect(await text(SRV, name)).toBe(name);
    }
  });

  it("answers NOT_FOUND for missing files and CONFLICT for folders", async () => {
    await store.write(SRV, "dir/file.txt", bytes("x"));
    expect((await failure(store.read(SRV, "nope.txt"))).code).toBe("NOT_FOUND");
    expect((await failure(store.read(SRV, "dir/file.txt/more"))).code).toBe("NOT_FOUND");
    expect((await failure(store.read(SRV, "dir"))).code).toBe("CONFLICT");
  });

  it("refuses to write where a folder is, or below a file", async () => {
    await store.write(SRV, "dir/file.txt", bytes("x"));
    expect((await failure(store.write(SRV, "dir", bytes("y")))).code).toBe("CONFLICT");
    expect((await failure(store.write(SRV, "dir/file.txt/y", bytes("y")))).code).toBe("CONFLICT");
    expect(await text(SRV, "dir/file.txt")).toBe("x");
  });

  it("validates the path before touching anything", async () => {
    const err = await failure(store.write(SRV, "../../etc/passwd", bytes("x")));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect((err as DomainError).extra.fields).toEqual([
      { field: "path", detail: expect.any(String) },
    ]);
    expect((await failure(store.read(SRV, "/etc/passwd"))).code).toBe("VALIDATION_FAILED");
  });
});

describe("limits", () => {
  it("stops reading as soon as a file passes maxFileBytes, leaving nothing behind", async () => {
    const big = chunks(1000, KiB); // 1000 KiB offered, 16 KiB allowed
    const err = await failure(store.write(SRV, "deep/folder/big.bin", big.body));
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("FILE_TOO_LARGE");
    expect(err.message).toBe("The file is larger than the 16 KiB limit");
    expect(big.pulled()).toBe(17); // the chunk that crossed the limit, and not one more
    expect(existsSync(join(files, "deep"))).toBe(false); // not even the folders
    expect(await staged()).toEqual([]);
    expect(await store.usage(SRV)).toBe(0);
  });

  it("refuses a declared size over the limit without reading at all", async () => {
    const big = chunks(100, KiB);
    const err = await failure(store.write(SRV, "big.bin", big.body, 100 * KiB));
    expect(err.code).toBe("FILE_TOO_LARGE");
    expect(big.pulled()).toBe(0);
  });

  it("accepts exactly maxFileBytes", async () => {
    await store.write(SRV, "edge.bin", chunks(16, KiB).body, 16 * KiB);
    expect(await store.usage(SRV)).toBe(16 * KiB);
  });

  it("refuses a body that does not match its declared size", async () => {
    const longer = await failure(store.write(SRV, "a.bin", chunks(3, KiB).body, 2 * KiB));
    expect(longer.extra.fields?.[0]?.field).toBe("body");
    const shorter = await failure(store.write(SRV, "a.bin", chunks(1, KiB).body, 2 * KiB));
    expect(shorter.code).toBe("VALIDATION_FAILED");
    expect(existsSync(join(files, "a.bin"))).toBe(false);
  });

  it("enforces the quota as usage minus the file replaced plus the new bytes", async () => {
    store = makeStore({ maxFileBytes: 16 * KiB, quotaBytes: 20 * KiB });
    await store.write(SRV, "a.bin", chunks(12, KiB).body);
    // 12 + 10 > 20: refused while streaming, and the existing file is untouched.
    const tooMuch = chunks(10, KiB);
    const err = await failure(store.write(SRV, "b.bin", tooMuch.body));
    expect(err.code).toBe("FILES_QUOTA_EXCEEDED");
    expect(err.message).toBe("The upload would take this server's files over their 20 KiB quota");
    expect(tooMuch.pulled()).toBe(9);
    expect(existsSync(join(files, "b.bin"))).toBe(false);
    // With a declared size it is refused before reading.
    const declared = chunks(10, KiB);
    expect((await failure(store.write(SRV, "b.bin", declared.body, 10 * KiB))).code).toBe(
      "FILES_QUOTA_EXCEEDED",
    );
    expect(declared.pulled()).toBe(0);
    // Replacing a.bin (12 KiB) with 16 KiB fits: 12 - 12 + 16 <= 20.
    const replaced = await store.write(SRV, "a.bin", chunks(16, KiB).body);
    expect(replaced.replaced).toBe(true);
    expect(await store.usage(SRV)).toBe(16 * KiB);
  });

  it("counts uploads still in progress against the quota", async () => {
    store = makeStore({ maxFileBytes: 16 * KiB, quotaBytes: 20 * KiB });
    const first = manualBody();
    const pending = store.write(SRV, "first.bin", first.body);
    first.send(12 * KiB);
    await until(async () => (await staged()).length === 1);
    const err = await failure(store.write(SRV, "second.bin", chunks(10, KiB).body));
    expect(err.code).toBe("FILES_QUOTA_EXCEEDED");
    first.end();
    expect((await pending).entry.size).toBe(12 * KiB);
    await store.write(SRV, "second.bin", chunks(8, KiB).body); // 12 + 8 fits once it is alone
  });
});

describe("atomic writes", () => {
  it("shows nothing at the path until the upload completes", async () => {
    await store.write(SRV, "report.txt", bytes("old"));
    const upload = manualBody();
    const pending = store.write(SRV, "report.txt", upload.body);
    upload.send(4 * KiB);
    await until(async () => (await staged()).length === 1);
    expect(await text(SRV, "report.txt")).toBe("old"); // readers see the old file whole
    expect((await store.list(SRV)).items.map((e) => e.path)).toEqual(["report.txt"]);
    upload.end();
    await pending;
    expect(await store.read(SRV, "report.txt")).toMatchObject({ size: 4 * KiB });
    expect(await staged()).toEqual([]);
  });

  it("leaves the old file and no partial file behind when the body fails", async () => {
    await store.write(SRV, "report.txt", bytes("old"));
    const upload = manualBody();
    const pending = store.write(SRV, "report.txt", upload.body);
    upload.send(4 * KiB);
    upload.fail(new Error("client went away"));
    await expect(pending).rejects.toThrow("client went away");
    expect(await text(SRV, "report.txt")).toBe("old");
    expect(await staged()).toEqual([]);
    expect(await store.usage(SRV)).toBe(3);
  });
});

describe("symbolic links planted by the server", () => {
  beforeEach(async () => {
    await symlink(outside, join(files, "escape")); // absolute: /data/escape -> host folder
    await symlink(join(outside, "secret.txt"), join(files, "secret-link"));
    await symlink("../../../outside/secret.txt", join(files, "relative-link"));
    await mkdir(join(base, "servers", SRV, "files-evil"));
    await writeFile(join(base, "servers", SRV, "files-evil", "x.txt"), "evil");
    await symlink("../files-evil", join(files, "sibling"));
  });

  it("are never followed when reading", async () => {
    for (const path of [
      "escape/secret.txt",
      "secret-link",
      "relative-link",
      "sibling/x.txt",
      "escape",
    ]) {
      expect((await failure(store.read(SRV, path))).code).toBe("VALIDATION_FAILED");
    }
  });

  it("are never followed when writing, and nothing is created outside", async () => {
    expect((await failure(store.write(SRV, "escape/new.txt", bytes("x")))).code).toBe(
      "VALIDATION_FAILED",
    );
    expect((await failure(store.write(SRV, "sibling/x.txt", bytes("x")))).code).toBe(
      "VALIDATION_FAILED",
    );
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
    expect(await readFile(join(base, "servers", SRV, "files-evil", "x.txt"), "utf8")).toBe("evil");
  });

  it("are replaced, not written through, when uploaded over", async () => {
    const result = await store.write(SRV, "secret-link", bytes("mine"));
    expect(result.replaced).toBe(true);
    expect((await lstat(join(files, "secret-link"))).isFile()).toBe(true);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
  });

  it("are deleted themselves, never their targets, and not deleted through", async () => {
    expect((await failure(store.delete(SRV, "escape/secret.txt"))).code).toBe("VALIDATION_FAILED");
    await store.delete(SRV, "escape", { recursive: true });
    await store.delete(SRV, "secret-link");
    expect(existsSync(join(files, "escape"))).toBe(false);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
  });

  it("are left out of listings and usage", async () => {
    await store.write(SRV, "real.txt", bytes("12345"));
    expect((await store.list(SRV)).items.map((e) => e.path)).toEqual(["real.txt"]);
    expect(await store.usage(SRV)).toBe(5);
    expect((await failure(store.list(SRV, "escape"))).code).toBe("VALIDATION_FAILED");
  });
});

describe("list", () => {
  beforeEach(async () => {
    await store.write(SRV, "b.txt", bytes("bb"));
    await store.write(SRV, "a/z.json", bytes("{}"));
    await store.write(SRV, "a/b/c.json", bytes("[1]"));
    await mkdir(join(files, "empty"));
    execFileSync("mkfifo", [join(files, "pipe")]);
  });

  it("lists everything depth first with relative POSIX paths, skipping special files", async () => {
    const { items, truncated } = await store.list(SRV);
    expect(truncated).toBe(false);
    expect(items.map((e) => [e.path, e.type, e.size])).toEqual([
      ["a", "directory", 0],
      ["a/b", "directory", 0],
      ["a/b/c.json", "file", 3],
      ["a/z.json", "file", 2],
      ["b.txt", "file", 2],
      ["empty", "directory", 0],
    ]);
    expect(items.every((e) => e.modifiedAt instanceof Date)).toBe(true);
  });

  it("lists one folder with ?prefix, and nothing for a missing one", async () => {
    const { items } = await store.list(SRV, "a/b");
    expect(items.map((e) => e.path)).toEqual(["a/b/c.json"]);
    expect((await store.list(SRV, "missing")).items).toEqual([]);
    expect((await store.list(SRV, "b.txt")).items).toEqual([]);
    const err = await failure(store.list(SRV, "../srv_b"));
    expect((err as DomainError).extra.fields?.[0]?.field).toBe("prefix");
  });

  it("stops at maxListEntries and says so", async () => {
    store = makeStore({ maxListEntries: 3 });
    const { items, truncated } = await store.list(SRV);
    expect(items.map((e) => e.path)).toEqual(["a", "a/b", "a/b/c.json"]);
    expect(truncated).toBe(true);
  });

  it("is empty for a new server", async () => {
    expect(await store.list("srv_new")).toEqual({ items: [], truncated: false });
    expect(await store.usage("srv_new")).toBe(0);
  });
});

describe("delete", () => {
  beforeEach(async () => {
    await store.write(SRV, "keep.txt", bytes("keep"));
    await store.write(SRV, "dir/one.txt", bytes("1"));
    await store.write(SRV, "dir/sub/two.txt", bytes("22"));
  });

  it("deletes a file", async () => {
    await store.delete(SRV, "dir/one.txt");
    expect(existsSync(join(files, "dir", "one.txt"))).toBe(false);
    expect((await failure(store.delete(SRV, "dir/one.txt"))).code).toBe("NOT_FOUND");
    expect((await failure(store.delete(SRV, "nope/x"))).code).toBe("NOT_FOUND");
  });

  it("needs recursive for a folder, then deletes everything in it", async () => {
    expect((await failure(store.delete(SRV, "dir"))).code).toBe("CONFLICT");
    expect(existsSync(join(files, "dir", "one.txt"))).toBe(true);
    await store.delete(SRV, "dir", { recursive: true });
    expect(existsSync(join(files, "dir"))).toBe(false);
    expect(await text(SRV, "keep.txt")).toBe("keep");
    expect(await staged()).toEqual([]);
    expect(await store.usage(SRV)).toBe(4);
  });
});

describe("removeAll", () => {
  it("removes the server's whole folder and nothing else", async () => {
    await store.write(SRV, "dir/one.txt", bytes("1"));
    await store.write("srv_b", "other.txt", bytes("b"));
    await store.removeAll(SRV);
    expect(existsSync(join(base, "servers", SRV))).toBe(false);
    expect(await readdir(join(base, "servers"))).toEqual(["srv_b"]);
    expect(await text("srv_b", "other.txt")).toBe("b");
    await store.removeAll(SRV); // nothing left: still fine
  });
});
