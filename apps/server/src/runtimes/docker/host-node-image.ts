import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, realpathSync, statSync } from "node:fs";
import { Readable } from "node:stream";

/**
 * A minimal Node image made from this host's own Node binary and the shared libraries `ldd`
 * lists, imported into the engine without a registry. npm packages are installed on the host by
 * that same Node, so native add-ons match. Used when the configured Node image cannot be pulled
 * (no registry access), and by the tests, which never pull.
 */

/** Bump when the recipe below changes, so stale images are not reused. */
const RECIPE_VERSION = "1";
const PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export type ImageEntry =
  | { kind: "dir"; path: string; mode: number }
  | { kind: "file"; path: string; mode: number; source: string }
  | { kind: "text"; path: string; mode: number; text: string };

export interface ImageRecipe {
  /** Tag is `<flavour>-<content hash>`: the same recipe always gives the same reference. */
  repository: string;
  flavour: string;
  extra?: ImageEntry[];
  /** Dockerfile-style changes for `docker import` (e.g. `CMD [...]`). */
  changes?: string[];
}

export interface ImageImporter {
  imageExists(ref: string): Promise<boolean>;
  importImage(
    tar: Readable,
    options: { repo: string; tag: string; changes: string[] },
  ): Promise<void>;
}

/** Builds (or finds, by its content hash) the image for a recipe; returns its reference. */
export async function ensureHostNodeImage(
  importer: ImageImporter,
  recipe: ImageRecipe,
): Promise<string> {
  const entries = [...baseEntries(), ...(recipe.extra ?? [])];
  const hash = createHash("sha256").update(`${RECIPE_VERSION}\n${recipe.flavour}\n`);
  for (const entry of entries) {
    hash.update(`${entry.kind} ${entry.path} ${entry.mode}\n`);
    if (entry.kind === "file") hash.update(readFileSync(entry.source));
    if (entry.kind === "text") hash.update(entry.text);
  }
  for (const change of recipe.changes ?? []) hash.update(change);
  const tag = `${recipe.flavour}-${hash.digest("hex").slice(0, 12)}`;
  const ref = `${recipe.repository}:${tag}`;
  if (await importer.imageExists(ref)) return ref;
  await importer.importImage(Readable.from(tarEntries(entries)), {
    repo: recipe.repository,
    tag,
    changes: [`ENV ${PATH_ENV}`, ...(recipe.changes ?? [])],
  });
  return ref;
}

/** Node, its libraries at the paths the dynamic loader expects, users, and mount points. */
function baseEntries(): ImageEntry[] {
  const node = realpathSync(process.execPath);
  const libs = sharedLibraries(node);
  const dirs = new Set<string>(["usr", "usr/local", "usr/local/bin", "etc", "opt", "opt/mcphost"]);
  for (const lib of libs) {
    const parts = lib.slice(1).split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [
    ...[...dirs].sort().map((path): ImageEntry => ({ kind: "dir", path, mode: 0o755 })),
    { kind: "dir", path: "tmp", mode: 0o1777 },
    { kind: "dir", path: "data", mode: 0o755 },
    { kind: "dir", path: "opt/mcphost/package", mode: 0o755 },
    { kind: "file", path: "usr/local/bin/node", mode: 0o755, source: node },
    ...libs.map(
      (lib): ImageEntry => ({ kind: "file", path: lib.slice(1), mode: 0o755, source: lib }),
    ),
    {
      kind: "text",
      path: "etc/passwd",
      mode: 0o644,
      text: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
    },
    { kind: "text", path: "etc/group", mode: 0o644, text: "root:x:0:\nnogroup:x:65534:\n" },
  ];
}

/** Absolute library paths from `ldd` output (`libx.so => /path (0x..)` and `/lib64/ld... (0x..)`). */
function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync("ldd", [binary], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return []; // a static binary ("not a dynamic executable") needs no libraries
  }
  const paths = new Set<string>();
  for (const line of out.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) paths.add(match[1]);
  }
  return [...paths];
}

/** A minimal ustar writer: enough for regular files and directories with short paths. */
async function* tarEntries(entries: ImageEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    if (entry.kind === "dir") {
      yield tarHeader(`${entry.path}/`, entry.mode, 0, "5");
    } else if (entry.kind === "text") {
      const body = Buffer.from(entry.text);
      yield tarHeader(entry.path, entry.mode, body.length, "0");
      yield body;
      yield padding(body.length);
    } else {
      // Libraries are followed through symlinks: the image holds real files at the linked names.
      const size = statSync(entry.source).size;
      yield tarHeader(entry.path, entry.mode, size, "0");
      for await (const chunk of createReadStream(entry.source)) yield chunk as Buffer;
      yield padding(size);
    }
  }
  yield Buffer.alloc(1024);
}

function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

function tarHeader(path: string, mode: number, size: number, type: string): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path too long for this writer: ${path}`);
  const header = Buffer.alloc(512);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0");
  header.write(path, 0);
  header.write(octal(mode, 8), 100);
  header.write(octal(0, 8), 108); // uid
  header.write(octal(0, 8), 116); // gid
  header.write(octal(size, 12), 124);
  header.write(octal(Math.floor(Date.now() / 1000), 12), 136);
  header.write("        ", 148); // the checksum field counts as spaces while summing
  header.write(type, 156);
  header.write("ustar\u000000", 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${octal(sum, 7)}\u0000 `, 148);
  return header;
}
