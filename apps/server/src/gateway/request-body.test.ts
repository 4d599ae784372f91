import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "./gateway-error.js";
import { readJsonBody } from "./request-body.js";

let server: Server | undefined;
afterEach(() => server?.close());

/**
 * Sends `chunks` as one POST, chunked unless `contentLength` is declared, to a server that reads
 * it with `readJsonBody(maxBytes)`, and returns what the reader gave: the body, or the error's
 * code. With `cutShort`, the client drops the connection after the chunks instead of ending.
 */
async function post(
  chunks: string[],
  maxBytes?: number,
  options: { contentLength?: number; cutShort?: boolean } = {},
): Promise<unknown> {
  let resolveOutcome: (value: unknown) => void = () => {};
  const outcome = new Promise<unknown>((resolve) => {
    resolveOutcome = resolve;
  });
  const listening = createServer((req, res) => {
    readJsonBody(req, maxBytes).then(
      ({ raw, body }) => resolveOutcome({ raw: raw.toString("utf8"), body }),
      (err: Error) => resolveOutcome(err instanceof GatewayError ? err.code : err.message),
    );
    req.once("end", () => res.end());
  });
  server = listening;
  await new Promise<void>((r) => listening.listen(0, "127.0.0.1", r));
  const { port } = listening.address() as AddressInfo;
  const headers: Record<string, string | number> = { "content-type": "application/json" };
  if (options.contentLength !== undefined) headers["content-length"] = options.contentLength;
  const req = request({ port, method: "POST", headers });
  req.on("error", () => {});
  req.on("response", (res) => res.resume());
  req.flushHeaders();
  for (const chunk of chunks) {
    req.write(chunk);
    await new Promise((r) => setTimeout(r, 5));
  }
  if (options.cutShort) setTimeout(() => req.destroy(), 20);
  else req.end();
  return outcome;
}

describe("readJsonBody", () => {
  it("gives the bytes as sent and their JSON, however the body was cut", async () => {
    const text = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { s: "é€" },
    });
    const cuts = [text.slice(0, 7), text.slice(7, 30), text.slice(30)];
    expect(await post(cuts)).toEqual({ raw: text, body: JSON.parse(text) });
  });

  it("refuses a body without Content-Length once it passes the limit", async () => {
    expect(await post(["[", "1,".repeat(300), "1,".repeat(300), "1]"], 1000)).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("takes a body of exactly the limit", async () => {
    const text = `"${"x".repeat(998)}"`;
    expect(await post([text.slice(0, 500), text.slice(500)], 1000)).toEqual({
      raw: text,
      body: "x".repeat(998),
    });
  });

  it("says the body is not JSON", async () => {
    expect(await post(["{not json"])).toBe("MALFORMED_JSON");
  });

  it("refuses a declared Content-Length over the limit before any of the body", async () => {
    expect(await post([], 1000, { contentLength: 1001, cutShort: true })).toBe("PAYLOAD_TOO_LARGE");
  });

  it("calls a body cut short a malformed request, not a failure of the server", async () => {
    expect(
      await post(['{"jsonrpc":"2.0","id":1,"method":"tools/'], undefined, { cutShort: true }),
    ).toBe("MALFORMED_JSON");
    expect(
      await post(['{"jsonrpc":"2.0","id":1}'], undefined, { contentLength: 100, cutShort: true }),
    ).toBe("MALFORMED_JSON");
  });
});
