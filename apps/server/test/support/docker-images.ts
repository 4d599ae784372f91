import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, realpathSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import Dockerode from "dockerode";

/**
 * Test images built locally, because tests never reach a registry. The root filesystem is the
 * host's own Node binary plus the shared libraries `ldd` lists, imported with `docker import`
 * through dockerode (no Docker CLI needed in CI). Tags are content hashes, so re-runs reuse them.
 */

/** Bump when the recipe below changes, so stale images are not reused. */
const RECIPE_VERSION = "1";
const REPOSITORY = "mcphost-test-node";
const PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A script for `image` program tests: an HTTP server when PORT is set, else a stdio echo. */
const SERVER_SCRIPT = `
const port = process.env.PORT;
if (port) {
  require("node:http")
    .createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, path: req.url }));
    })
    .listen(Number(port), "0.0.0.0", () => console.error("listening on " + port));
} else {
  console.error("echo ready");
  require("node:readline")
    .createInterface({ input: process.stdin })
    .on("line", (line) => process.stdout.write(line + "\\n"));
}
`;

type Entry =
  | { kind: "dir"; path: string; mode: number }
  | { kind: "file"; path: string; mode: number; source: string }
  | { kind: "text"; path: string; mode: number; text: string };

let docker: Dockerode | undefined;
const client = () => (docker ??= new Dockerode());
/** Per process, each flavour is hashed and checked once. */
const ensured = new Map<string, Promise<string>>();

/** The plain test image: Node at /usr/local/bin/node, no CMD. Returns the image reference. */
export async function ensureTestNodeImage(): Promise<string> {
  return ensureImage("base", [], []);
}

/**
 * The test image with /app/server.js and `CMD ["node","/app/server.js"]`: an HTTP server on $PORT
 * answering every path with `{"ok":true,"path":...}`, or without PORT a stdio line echo. Both
 * write a ready line to stderr.
 */
export async function ensureTestImageWithEntrypoint(): Promise<string> {
  return ensureImage(
    "app",
    [
      { kind: "dir", path: "app", mode: 0o755 },
      { kind: "text", path: "app/server.js", mode: 0o644, text: SERVER_SCRIPT },
    ],
    ['CMD ["node","/app/server.js"]'],
  );
}

function ensureImage(flavour: string, extra: Entry[], changes: string[]): Promise<string> {
  let ref = ensured.get(flavour);
  if (!ref) {
    ref = buildImage(flavour, extra, changes);
    ref.catch(() => ensured.delete(flavour));
    ensured.set(flavour, ref);
  }
  return ref;
}

async function buildImage(flavour: string, extra: Entry[], changes: string[]): Promise<string> {
  const entries = [...baseEntries(), ...extra];
  const hash = createHash("sha256").update(`${RECIPE_VERSION}\n${flavour}\n`);
  for (const entry of entries) {
    hash.update(`${entry.kind} ${entry.path} ${entry.mode}\n`);
    if (entry.kind === "file") hash.update(readFileSync(entry.source));
    if (entry.kind === "text") hash.update(entry.text);
  }
  const ref = `${REPOSITORY}:${flavour}-${hash.digest("hex").slice(0, 12)}`;
  if (await imageExists(ref)) return ref;

  const [repo, tag] = ref.split(":") as [string, string];
  const options = { repo, tag, changes: [`ENV ${PATH_ENV}`, ...changes] };
  const response = await client().importImage(Readable.from(tarEntries(entries)), options);
  await new Promise<void>((resolve, reject) =>
    client().modem.followProgress(
      response,
      (err: Error | null, events: Array<{ error?: string }>) => {
        const failed = events.find((e) => e.error);
        if (err || failed) reject(err ?? new Error(`docker import failed: ${failed?.error}`));
        else resolve();
      },
    ),
  );
  return ref;
}

async function imageExists(ref: string): Promise<boolean> {
  try {
    await client().getImage(ref).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Node, its libraries at the paths the dynamic loader expects, users, and mount points. */
function baseEntries(): Entry[] {
  const node = realpathSync(process.execPath);
  const libs = sharedLibraries(node);
  const dirs = new Set<string>(["usr", "usr/local", "usr/local/bin", "etc", "opt", "opt/mcphost"]);
  for (const lib of libs) {
    const parts = lib.slice(1).split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [
    ...[...dirs].sort().map((path): Entry => ({ kind: "dir", path, mode: 0o755 })),
    { kind: "dir", path: "tmp", mode: 0o1777 },
    { kind: "dir", path: "data", mode: 0o755 },
    { kind: "dir", path: "opt/mcphost/package", mode: 0o755 },
    { kind: "file", path: "usr/local/bin/node", mode: 0o755, source: node },
    ...libs.map((lib): Entry => ({ kind: "file", path: lib.slice(1), mode: 0o755, source: lib })),
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
async function* tarEntries(entries: Entry[]): AsyncGenerator<Buffer> {
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
  header.write("        ", 148); // checksum placeholder: spaces while summing
  header.write(type, 156);
  header.write("ustar\u000000", 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${octal(sum, 7)}\u0000 `, 148);
  return header;
}
