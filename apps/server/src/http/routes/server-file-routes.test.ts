import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Scope } from "../../domain/accounts/scopes.js";
import type { Actor } from "../../domain/authz/actor.js";
import { createServerFileStore, type ServerFileStore } from "../../files/server-file-store.js";
import { notFound } from "../../lib/errors.js";
import { createLogger } from "../../lib/logger.js";
import type { AppEnv } from "../app-env.js";
import { handleError } from "../error-handler.js";
import { problem } from "../problem.js";
import { validationHook } from "../validation.js";
import {
  attachmentDisposition,
  createServerFileRoutes,
  isServerFileUpload,
} from "./server-file-routes.js";

const KiB = 1024;
const MAX_FILE = 64 * KiB;
const QUOTA = 100 * KiB;

/** Who may see which servers: the stand-in for the policy, which the lead wires later. */
const SERVERS_OF: Record<string, string[]> = { usr_alice: ["srv_alice"], usr_bob: ["srv_bob"] };

function actor(userId: string, scopes: Scope[]): Actor {
  return {
    user: {
      id: userId,
      email: `${userId}@example.com`,
      role: "user",
      serverQuota: 10,
      createdAt: new Date(),
    },
    scopes: new Set(scopes),
    via: { kind: "token", tokenId: `pat_${userId}` },
  };
}

const ACTORS: Record<string, Actor> = {
  alice: actor("usr_alice", ["servers:read", "servers:write"]),
  "alice-readonly": actor("usr_alice", ["servers:read"]),
  bob: actor("usr_bob", ["servers:read", "servers:write"]),
};

let base: string;
let files: ServerFileStore;
let app: OpenAPIHono<AppEnv>;

/**
 * The routes on a bare app with the real error handler at app level, as `http-app.ts` mounts them;
 * `before` adds middleware ahead of them.
 */
function buildApp(before?: (app: OpenAPIHono<AppEnv>) => void): OpenAPIHono<AppEnv> {
  const built = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  built.onError(handleError);
  built.use(
    "*",
    createMiddleware<AppEnv>(async (c, next) => {
      c.set("requestId", "req_test_1234");
      c.set("logger", createLogger({ level: "silent" }));
      c.set("actor", ACTORS[c.req.header("x-test-user") ?? ""]);
      await next();
    }),
  );
  before?.(built);
  built.route(
    "/api",
    createServerFileRoutes({
      files,
      authorizeServer: async (a, serverId) => {
        if (!SERVERS_OF[a.user.id]?.includes(serverId)) throw notFound("Server");
      },
    }),
  );
  return built;
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "mcphost-file-routes-")));
  files = createServerFileStore({
    rootDir: join(base, "servers"),
    maxFileBytes: MAX_FILE,
    quotaBytes: QUOTA,
  });
  app = buildApp();
});
afterEach(() => rm(base, { recursive: true, force: true }));

/** The parsed JSON of a response (problem documents included). */
const json = (res: Response): Promise<any> => res.json();

function call(
  user: string | undefined,
  method: string,
  path: string,
  body?: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  return app.request(`/api${path}`, {
    method,
    headers: { ...(user ? { "x-test-user": user } : {}), ...headers },
    ...(body === undefined ? {} : { body, duplex: "half" }),
  } as RequestInit);
}

/** A request body that counts how many chunks were read from it. */
function countingBody(chunkCount: number, chunkSize: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunkCount) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkSize).fill(0x78));
    },
  });
  return { stream, pulled: () => pulled };
}

const filesDir = (serverId: string) => join(base, "servers", serverId, "files");

describe("upload, list and download", () => {
  it("round-trips a file", async () => {
    const put = await call("alice", "PUT", "/servers/srv_alice/files/docs/notes.txt", "hello", {
      "content-type": "text/plain",
    });
    expect(put.status).toBe(201);
    expect(await json(put)).toMatchObject({ path: "docs/notes.txt", type: "file", size: 5 });

    const again = await call("alice", "PUT", "/servers/srv_alice/files/docs/notes.txt", "hello!");
    expect(again.status).toBe(200);

    const list = await call("alice", "GET", "/servers/srv_alice/files");
    expect(list.status).toBe(200);
    const listed = await json(list);
    expect(listed).toEqual({
      items: [
        { path: "docs", type: "directory", size: 0, modifiedAt: expect.any(String) },
        { path: "docs/notes.txt", type: "file", size: 6, modifiedAt: expect.any(String) },
      ],
      truncated: false,
      usageBytes: 6,
      quotaBytes: QUOTA,
      maxFileBytes: MAX_FILE,
    });
    expect(new Date(listed.items[1].modifiedAt).toISOString()).toBe(listed.items[1].modifiedAt);

    const get = await call("alice", "GET", "/servers/srv_alice/files/docs/notes.txt");
    expect(get.status).toBe(200);
    expect(await get.text()).toBe("hello!");
  });

  it("streams a binary upload of many chunks to disk", async () => {
    const body = countingBody(32, KiB);
    const put = await call("alice", "PUT", "/servers/srv_alice/files/blob.bin", body.stream, {
      "content-type": "application/octet-stream",
    });
    expect(put.status).toBe(201);
    expect((await readFile(join(filesDir("srv_alice"), "blob.bin"))).length).toBe(32 * KiB);
  });

  it("sends download headers that make the browser save, not render", async () => {
    const name = 'rapport "final" été.html';
    const path = `/servers/srv_alice/files/out/${encodeURIComponent(name)}`;
    expect((await call("alice", "PUT", path, "<script>alert(1)</script>")).status).toBe(201);
    const res = await call("alice", "GET", path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-length")).toBe("25");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(
      "attachment; filename=\"rapport _final_ _t_.html\"; filename*=UTF-8''rapport%20%22final%22%20%C3%A9t%C3%A9.html",
    );
    expect(res.headers.get("last-modified")).toMatch(/GMT$/);

    const head = await call("alice", "HEAD", path);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("25");
    expect(await head.text()).toBe("");
  });

  it("lists one folder with ?prefix", async () => {
    await call("alice", "PUT", "/servers/srv_alice/files/a/1.txt", "1");
    await call("alice", "PUT", "/servers/srv_alice/files/b/2.txt", "2");
    const res = await call("alice", "GET", "/servers/srv_alice/files?prefix=b");
    expect((await json(res)).items.map((e: { path: string }) => e.path)).toEqual(["b/2.txt"]);
  });

  it("deletes files, and folders only with recursive=true", async () => {
    await call("alice", "PUT", "/servers/srv_alice/files/dir/x.txt", "x");
    expect((await call("alice", "DELETE", "/servers/srv_alice/files/dir")).status).toBe(409);
    expect((await call("alice", "DELETE", "/servers/srv_alice/files/dir/x.txt")).status).toBe(204);
    expect((await call("alice", "GET", "/servers/srv_alice/files/dir/x.txt")).status).toBe(404);
    const res = await call("alice", "DELETE", "/servers/srv_alice/files/dir?recursive=true");
    expect(res.status).toBe(204);
    expect(existsSync(join(filesDir("srv_alice"), "dir"))).toBe(false);
  });
});

describe("limits", () => {
  it("answers 413 FILE_TOO_LARGE from Content-Length without reading the body", async () => {
    const body = countingBody(100, KiB);
    const res = await call("alice", "PUT", "/servers/srv_alice/files/big.bin", body.stream, {
      "content-length": String(100 * KiB),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await json(res)).toEqual({
      type: "urn:mcphost:problem:file-too-large",
      title: "File too large",
      status: 413,
      detail: "The file is larger than the 64 KiB limit",
      instance: "/api/servers/srv_alice/files/big.bin",
      code: "FILE_TOO_LARGE",
      requestId: "req_test_1234",
    });
    expect(body.pulled()).toBeLessThanOrEqual(1); // at most what the stream buffers on its own
  });

  it("answers 413 FILE_TOO_LARGE once a body of unknown length passes the limit, keeping nothing", async () => {
    const body = countingBody(1000, KiB);
    const res = await call("alice", "PUT", "/servers/srv_alice/files/dir/big.bin", body.stream);
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({
      code: "FILE_TOO_LARGE",
      detail: "The file is larger than the 64 KiB limit",
    });
    expect(body.pulled()).toBeLessThan(70);
    expect(existsSync(join(filesDir("srv_alice"), "dir"))).toBe(false);
  });

  it("answers 413 FILES_QUOTA_EXCEEDED when the upload would pass the quota", async () => {
    for (const name of ["one", "two"]) {
      const put = await call(
        "alice",
        "PUT",
        `/servers/srv_alice/files/${name}`,
        "x".repeat(MAX_FILE),
      );
      expect(put.status).toBe(name === "one" ? 201 : 413);
      if (name === "two") {
        expect(put.headers.get("content-type")).toBe("application/problem+json");
        expect(await json(put)).toMatchObject({
          status: 413,
          title: "Files quota exceeded",
          code: "FILES_QUOTA_EXCEEDED",
          detail: "The upload would take this server's files over their 100 KiB quota",
        });
      }
    }
    const res = await call("alice", "GET", "/servers/srv_alice/files");
    expect((await json(res)).usageBytes).toBe(MAX_FILE);
  });

  it("answers 413 FILES_QUOTA_EXCEEDED from Content-Length without reading the body", async () => {
    expect(
      (await call("alice", "PUT", "/servers/srv_alice/files/one", "x".repeat(MAX_FILE))).status,
    ).toBe(201);
    const body = countingBody(40, KiB);
    const res = await call("alice", "PUT", "/servers/srv_alice/files/two", body.stream, {
      "content-length": String(40 * KiB),
    });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ code: "FILES_QUOTA_EXCEEDED" });
    expect(body.pulled()).toBeLessThanOrEqual(1);
  });
});

describe("access", () => {
  it("answers 404 for another user's server, and changes nothing there", async () => {
    await call("bob", "PUT", "/servers/srv_bob/files/private.txt", "bob's");
    for (const [method, path] of [
      ["GET", "/servers/srv_bob/files"],
      ["GET", "/servers/srv_bob/files/private.txt"],
      ["PUT", "/servers/srv_bob/files/private.txt"],
      ["DELETE", "/servers/srv_bob/files/private.txt"],
    ] as const) {
      const res = await call("alice", method, path, method === "PUT" ? "alice's" : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await json(res)).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await readFile(join(filesDir("srv_bob"), "private.txt"), "utf8")).toBe("bob's");
  });

  it("needs a credential, and servers:write to change files", async () => {
    expect((await call(undefined, "GET", "/servers/srv_alice/files")).status).toBe(401);
    expect((await call("alice-readonly", "GET", "/servers/srv_alice/files")).status).toBe(200);
    const put = await call("alice-readonly", "PUT", "/servers/srv_alice/files/x.txt", "x");
    expect(put.status).toBe(403);
    expect(await json(put)).toMatchObject({ code: "INSUFFICIENT_SCOPE" });
    const del = await call("alice-readonly", "DELETE", "/servers/srv_alice/files/x.txt");
    expect(del.status).toBe(403);
  });
});

describe("path safety", () => {
  it.each([
    ["encoded traversal", "..%2F..%2Fetc%2Fpasswd"],
    ["traversal after a folder", "docs%2F..%2F..%2F..%2Fetc%2Fpasswd"],
    ["encoded absolute path", "%2Fetc%2Fpasswd"],
    ["encoded backslash", "..%5C..%5Csecret"],
    ["encoded NUL", "notes.txt%00.png"],
    ["encoded newline", "a%0Ab"],
    ["an empty segment", "a//b"],
  ])("answers 400 problem+json naming path for %s", async (_what, path) => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await call("alice", method, `/servers/srv_alice/files/${path}`, undefined);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = await json(res);
      expect(problem).toMatchObject({ code: "VALIDATION_FAILED", requestId: "req_test_1234" });
      expect(problem.errors).toEqual([{ field: "path", detail: expect.any(String) }]);
    }
    expect(existsSync(join(base, "etc"))).toBe(false);
  });

  it("answers 400 naming prefix for a bad listing prefix", async () => {
    const res = await call("alice", "GET", "/servers/srv_alice/files?prefix=..%2Fsrv_bob");
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toEqual([{ field: "prefix", detail: expect.any(String) }]);
  });
});

describe("the OpenAPI document", () => {
  it("documents {path} as one parameter and routes it across slashes", () => {
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    const paths = doc.paths ?? {};
    expect(Object.keys(paths).sort()).toEqual([
      "/api/servers/{serverId}/files",
      "/api/servers/{serverId}/files/{path}",
    ]);
    const item = paths["/api/servers/{serverId}/files/{path}"];
    expect(Object.keys(item ?? {}).sort()).toEqual(["delete", "get", "put"]);
    expect(item?.put?.tags).toEqual(["Server files"]);
    expect(item?.put?.requestBody).toMatchObject({
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    });
    expect(item?.get?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "path", in: "path" })]),
    );
    expect(JSON.stringify(doc)).not.toContain("{path{"); // the routing pattern stays out of the docs
  });
});

describe("helpers for the app", () => {
  it("tells file uploads apart from other API bodies", () => {
    expect(isServerFileUpload("PUT", "/api/servers/srv_a/files/a/b.txt")).toBe(true);
    expect(isServerFileUpload("GET", "/api/servers/srv_a/files/a/b.txt")).toBe(false);
    expect(isServerFileUpload("PUT", "/api/servers/srv_a/files")).toBe(false);
    expect(isServerFileUpload("POST", "/api/servers")).toBe(false);
    expect(isServerFileUpload("PUT", "/api/orgs/o/servers/srv_a/files/x")).toBe(false);
    expect(isServerFileUpload("PUT", "/v2/servers/srv_a/files/x", "/v2")).toBe(true);
  });

  it("lets uploads past the general body limit when wired as app.ts should", async () => {
    const wired = buildApp((a) => {
      const limit = bodyLimit({
        maxSize: 16 * KiB,
        onError: (c) => problem(c, "PAYLOAD_TOO_LARGE", "over the API body limit"),
      });
      a.use(
        "/api/*",
        except((c) => isServerFileUpload(c.req.method, c.req.path), limit),
      );
      a.put("/api/other", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
    });
    const send = (path: string, size: number) =>
      wired.request(path, {
        method: "PUT",
        headers: { "x-test-user": "alice" },
        body: countingBody(size / KiB, KiB).stream,
        duplex: "half",
      } as RequestInit);
    expect((await send("/api/servers/srv_alice/files/big.bin", 48 * KiB)).status).toBe(201);
    expect((await send("/api/other", 8 * KiB)).status).toBe(200);
    const other = await send("/api/other", 20 * KiB);
    expect(other.status).toBe(413);
    expect((await json(other)).detail).toBe("over the API body limit");
  });

  it("escapes Content-Disposition names", () => {
    expect(attachmentDisposition("notes.txt")).toBe('attachment; filename="notes.txt"');
    expect(attachmentDisposition('a\\b".txt')).toBe(
      "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%5Cb%22.txt",
    );
    expect(attachmentDisposition("it's (1)*.txt")).toBe('attachment; filename="it\'s (1)*.txt"');
    expect(attachmentDisposition("日本.txt")).toBe(
      "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt",
    );
  });
});

describe("over a real socket", () => {
  let server: ReturnType<typeof serve>;
  let port: number;

  beforeAll(async () => {
    server = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `total` bytes in 16 KiB chunks, stopping early once the response arrives. */
  function upload(path: string, total: number, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        method: "PUT",
        path: `/api${path}`,
        headers: { "x-test-user": "alice", ...headers },
      });
      req.on("response", (res: IncomingMessage) => {
        answered = true;
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body, sent });
        });
      });
      req.on("error", (err) => (answered ? undefined : reject(err)));
      const pump = () => {
        while (!answered && sent < total) {
          sent += 16 * KiB;
          if (!req.write(new Uint8Array(16 * KiB))) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  it("stores a chunked upload", async () => {
    const res = await upload("/servers/srv_alice/files/chunked.bin", 48 * KiB);
    expect(res.status).toBe(201);
    expect((await readFile(join(filesDir("srv_alice"), "chunked.bin"))).length).toBe(48 * KiB);
  });

  it("answers 413 to a chunked upload that passes the limit, while it is still sending", async () => {
    const res = await upload("/servers/srv_alice/files/huge.bin", 64 * 1024 * KiB);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, code: "FILE_TOO_LARGE" });
    expect(res.sent).toBeLessThan(64 * 1024 * KiB);
    expect(existsSync(join(filesDir("srv_alice"), "huge.bin"))).toBe(false);
  });

  it("answers 413 from Content-Length before the body is sent", async () => {
    const res = await upload("/servers/srv_alice/files/huge.bin", 0, {
      "content-length": String(1024 * 1024 * KiB),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, code: "FILE_TOO_LARGE" });
  });
});
