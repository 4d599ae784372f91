import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { writeWebResponse } from "./web-response.js";

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** Serves one answer built by `answer` and returns the URL; `done` settles when the write does. */
async function serve(answer: () => Response) {
  let done: Promise<void> = Promise.resolve();
  server = createServer((_req, res) => {
    done = writeWebResponse(answer(), res);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, done: () => done };
}

const encoder = new TextEncoder();

/** A stream the test feeds by hand, and what it was told when its reader cancelled. */
function handFed() {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let cancelled: () => void = () => {};
  const gone = new Promise<void>((resolve) => {
    cancelled = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: () => cancelled(),
  });
  return { body, push: controller as ReadableStreamDefaultController<Uint8Array>, gone };
}

describe("writeWebResponse", () => {
  it("sends status, headers and each chunk as it comes, before the stream ends", async () => {
    const { body, push } = handFed();
    push.enqueue(encoder.encode("id: 1\ndata: \n\n"));
    const { url } = await serve(
      () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }),
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("id: 1\ndata: \n\n");
    push.enqueue(encoder.encode("data: {}\n\n"));
    expect(decoder.decode((await reader.read()).value)).toBe("data: {}\n\n");
    push.close();
    expect((await reader.read()).done).toBe(true);
  });

  it("sends the headers at once when no chunk is ready (a quiet event stream)", async () => {
    const { url } = await serve(() => new Response(new ReadableStream(), { status: 200 }));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it("cancels the stream when the client goes away", async () => {
    const { body, gone } = handFed();
    const { url, done } = await serve(() => new Response(body, { status: 200 }));
    await new Promise<void>((resolve) => {
      const req = request(url, () => {
        req.destroy();
        resolve();
      });
      req.on("error", () => {});
      req.end();
    });
    await gone;
    await done();
  });

  it("cuts the connection when the stream fails, so a truncated answer cannot look complete", async () => {
    const { body, push } = handFed();
    const { url } = await serve(() => new Response(body, { status: 200 }));
    const outcome = new Promise<string>((resolve) => {
      request(url, (res) => {
        res.on("data", () => push.error(new Error("upstream broke")));
        res.on("end", () => resolve("ended"));
        res.on("error", () => resolve("cut"));
      }).end();
    });
    push.enqueue(encoder.encode("data: 1\n\n"));
    expect(await outcome).toBe("cut");
  });
});
