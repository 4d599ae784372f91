import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ReadableStreamReadResult } from "node:stream/web";

/** Settles on the next turn of the microtask queue with undefined, or with the read if it is ready. */
const readIfReady = (read: Promise<ReadableStreamReadResult<Uint8Array>>) =>
  Promise.race([read, Promise.resolve().then(() => Promise.resolve(undefined))]);

/** Resolves when `res` can take more, or has closed (then nothing more will be written). */
const drainedOrClosed = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });

/**
 * Writes a streamed web Response (the SDK's Streamable HTTP transport answers with an SSE stream)
 * to Node's response, each chunk as it comes, with Node's backpressure. `@hono/node-server` would
 * do the same but, when the stream has not ended after its first chunk, waits `setTimeout(0)` (at
 * least 1 ms) before sending anything: that timer was most of a bridged stdio call's latency.
 *
 * Node picks the framing as for any answer without a length (chunked for HTTP/1.1, until the
 * connection closes for HTTP/1.0), as it did behind Hono. Headers go out with the first chunk when
 * one is already there (the SDK's priming event usually is), else at once: an event stream may
 * stay quiet for long. A client that goes away cancels the stream, which is how the SDK learns
 * it has gone; a stream that errors cuts the connection, so a truncated answer cannot look
 * complete. Resolves once the stream has ended or either side has gone; never rejects.
 */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  if (res.destroyed) return cancel();
  res.once("close", cancel);
  try {
    let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = reader.read();
    const first = await readIfReady(pending);
    if (first === undefined) res.flushHeaders();
    else pending = Promise.resolve(first);
    for (;;) {
      const { done, value } = await (pending ?? reader.read());
      pending = undefined;
      if (done) break;
      if (!res.write(value)) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end();
  } catch {
    res.destroy();
  } finally {
    res.off("close", cancel);
  }
}
