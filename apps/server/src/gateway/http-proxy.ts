import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { Agent, request } from "undici";
import type { TraceContext } from "./ports.js";
import { asMessages, type BodyTap, tapBody } from "./proxy-trace.js";

/** Request headers an MCP server needs; everything else (cookies, the client's key) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "content-type",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
  "user-agent",
];
/**
 * The body is forwarded byte for byte, so its length and encoding stay true. No Accept-Encoding
 * goes upstream, so an encoded body only comes from a server that encodes unasked.
 */
const FORWARDED_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "cache-control",
  "mcp-session-id",
  "mcp-protocol-version",
];

/** How long ending a session upstream may take before the gateway stops waiting. */
const END_SESSION_TIMEOUT_MS = 5_000;

export interface ProxyTarget {
  url: string;
  /** Extra headers for the upstream (a remote server's own credentials). */
  headers: Record<string, string>;
}

export interface ProxyObserver {
  fromClient(message: JSONRPCMessage): void;
  fromServer(message: JSONRPCMessage): void;
}

/** One client request to forward, as Node received it. */
export interface ProxiedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The POST body as received (forwarded as is) and parsed (for the tracer); else undefined. */
  rawBody: Buffer | undefined;
  body: unknown;
}

/** What the caller learns of the upstream's answer before any of it reaches the client. */
export interface UpstreamHead {
  status: number;
  /** The session id the upstream's answer carries, if any. */
  sessionId: string | undefined;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

/** The target's own headers (a remote server's credentials), named in lower case like the rest. */
function targetHeaders(target: ProxyTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * Copies the upstream's body to the client chunk by chunk, with backpressure, feeding the tap.
 * Resolves when the body has ended (the tap is told) or either side has gone (both are closed:
 * a client that left aborts the upstream request; an upstream that broke off cuts the client's
 * connection, as a truncated answer must not look complete). Hand-written rather than
 * `stream.pipeline`, whose per-call abort controller, DOMException and end-of-stream watchers
 * were a tenth of the proxy's CPU time (benchmarks, docs/benchmarks.md).
 */
function relay(body: Readable, res: ServerResponse, tap: BodyTap): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = (ended: boolean) => {
      if (done) return;
      done = true;
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onBroken);
      body.off("close", onBodyClose);
      res.off("drain", onDrain);
      res.off("close", onClientClose);
      if (ended) {
        tap.end();
      } else {
        body.destroy();
        res.destroy();
      }
      resolve();
    };
    // An answer's last chunk and its end usually arrive in one read from the upstream, but the
    // end is signalled a tick after the chunk: holding the socket corked for two ticks sends the
    // chunk and the end of the chunked body in one write instead of two.
    let corked = false;
    const uncork = () => {
      corked = false;
      res.uncork();
    };
    const onData = (chunk: Buffer) => {
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => process.nextTick(uncork));
      }
      tap.push(chunk);
      if (!res.write(chunk)) body.pause();
    };
    const onDrain = () => body.resume();
    const onEnd = () => {
      res.end();
      finish(true);
    };
    const onBroken = () => finish(false);
    // A body closed before its end was cut short.
    const onBodyClose = () => finish(false);
    const onClientClose = () => {
      if (!res.writableFinished) finish(false);
    };
    body.on("data", onData);
    body.once("end", onEnd);
    body.once("error", onBroken);
    body.once("close", onBodyClose);
    res.on("drain", onDrain);
    res.once("close", onClientClose);
  });
}

/**
 * The reverse proxy for servers that speak Streamable HTTP themselves. Upstream connections are
 * kept alive and reused (one undici Agent, which keeps a pool per origin); `close()` ends them.
 */
export function createHttpProxy() {
  const agent = new Agent();

  return {
    /**
     * Forwards one request and writes the upstream's status, headers and body straight to `res`,
     * each chunk as it comes (SSE events are not held back, large bodies are not buffered), with
     * Node's backpressure. The JSON-RPC messages in both directions go to the observer, read off
     * the forwarded bytes.
     *
     * Rejects, having written nothing, when the upstream cannot be reached: the caller answers.
     * `onHead` runs once the upstream's headers are in and before the client sees any of them.
     * Once the answer has begun it resolves, when the body has ended or either side has gone: a
     * client that disconnects aborts the upstream request; an upstream that breaks off cuts the
     * client's connection, as a truncated answer must not look complete.
     */
    async forward(
      req: ProxiedRequest,
      res: ServerResponse,
      target: ProxyTarget,
      observe: (ctx: Pick<TraceContext, "sessionId">) => ProxyObserver,
      onHead: (head: UpstreamHead) => void,
    ): Promise<void> {
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = header(req.headers, name);
        if (value !== undefined) headers[name] = value;
      }
      Object.assign(headers, targetHeaders(target));

      const abort = new AbortController();
      const onClose = () => {
        if (!res.writableFinished) abort.abort();
      };
      res.once("close", onClose);
      try {
        // undici.request follows no redirects: a 3xx goes back to the client as it is.
        const upstream = await request(target.url, {
          dispatcher: agent,
          method: req.method as "GET" | "POST" | "DELETE",
          headers,
          body: req.rawBody,
          signal: abort.signal,
        });

        // Past this point the upstream's body is ours to consume or destroy, whatever happens.
        let tap: BodyTap;
        try {
          const sessionId = header(upstream.headers, "mcp-session-id");
          const observer = observe({
            sessionId: sessionId ?? header(req.headers, "mcp-session-id") ?? null,
          });
          for (const message of asMessages(req.body)) observer.fromClient(message);
          onHead({ status: upstream.statusCode, sessionId });

          const responseHeaders: OutgoingHttpHeaders = {};
          for (const name of FORWARDED_RESPONSE_HEADERS) {
            const value = upstream.headers[name];
            if (value !== undefined) responseHeaders[name] = value;
          }
          res.writeHead(upstream.statusCode, responseHeaders);
          const contentType = header(upstream.headers, "content-type") ?? "";
          // An event stream may stay quiet for long, so its headers must not wait for a first
          // event; but the answer to a call usually is in already, and headers written with it go
          // out in one packet (one write instead of two). So they are flushed on their own only
          // when nothing of the body arrived by the next turn of the event loop.
          if (contentType.includes("text/event-stream")) {
            setImmediate(() => {
              if (!res.headersSent && !res.destroyed) res.flushHeaders();
            });
          }
          tap = tapBody(contentType, (m) => observer.fromServer(m));
        } catch (err) {
          upstream.body.destroy();
          throw err;
        }
        await relay(upstream.body, res, tap);
      } finally {
        res.off("close", onClose);
      }
    },

    /**
     * Tells the upstream a session of its has ended (a `DELETE` with its session id, as a client
     * leaving would send), when the gateway ends it: an idle session reaped, a user ending it.
     * Without it the server would keep every session its clients abandoned. Best effort: an
     * upstream that is gone or refuses has nothing left to free.
     */
    async endSession(target: ProxyTarget, sessionId: string): Promise<void> {
      const headers = { ...targetHeaders(target), "mcp-session-id": sessionId };
      try {
        const answer = await request(target.url, {
          dispatcher: agent,
          method: "DELETE",
          headers,
          headersTimeout: END_SESSION_TIMEOUT_MS,
          bodyTimeout: END_SESSION_TIMEOUT_MS,
        });
        await answer.body.dump();
      } catch {
        // Unreachable or refusing: the session is gone from the gateway either way.
      }
    },

    async close(): Promise<void> {
      await agent.close();
    },
  };
}

export type HttpProxy = ReturnType<typeof createHttpProxy>;
