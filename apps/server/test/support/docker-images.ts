import { createDockerClient } from "../../src/runtimes/docker/docker-client.js";
import {
  ensureHostNodeImage,
  type ImageEntry,
  type ImageImporter,
} from "../../src/runtimes/docker/host-node-image.js";

/**
 * Test images built locally, because tests never reach a registry: the product's host-Node image
 * recipe (runtimes/docker/host-node-image.ts), plus a small server script for `image` tests.
 * Tags are content hashes, so re-runs reuse them.
 */

const REPOSITORY = "mcphost-test-node";

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

let importer: ImageImporter | undefined;
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

function ensureImage(flavour: string, extra: ImageEntry[], changes: string[]): Promise<string> {
  let ref = ensured.get(flavour);
  if (!ref) {
    importer ??= createDockerClient({ host: process.env.DOCKER_HOST });
    ref = ensureHostNodeImage(importer, { repository: REPOSITORY, flavour, extra, changes });
    ref.catch(() => ensured.delete(flavour));
    ensured.set(flavour, ref);
  }
  return ref;
}
