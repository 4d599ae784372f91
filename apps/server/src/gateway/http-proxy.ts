import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { Agent, type Dispatcher, request } from "undici";
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

/**
 * A target URL as undici's dispatch takes it: origin, and path with the query. Targets are few
 * and their URLs fixed, so each is parsed once.
 */
const splitUrls = new Map<string, { origin: string; path: string }>();
function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url);
  if (!split) {
    const parsed = new URL(url);
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (splitUrls.size >= 1000) splitUrls.clear();
    splitUrls.set(url, split);
  }
  return split;
}

/** The target's own headers (a remote server's credentials), named in lower case like the rest. */
function targetHeaders(target: ProxyTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
  return headers;
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
     *
     * Written on undici's `dispatch`, its chunks straight to `res`: `undici.request` wraps each
     * answer in a Readable and wants an AbortSignal, and those streams and signals, with
     * `stream.pipeline` before them, were a tenth of the gateway's CPU per call (benchmarks).
     */
    forward(
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
      const { origin, path } = splitUrl(target.url);

      return new Promise<void>((resolve, reject) => {
        let controller: Dispatcher.DispatchController | undefined;
        let tap: BodyTap | undefined;
        // Settled once: resolved when the answer ended or either side went, rejected (having
        // written nothing) when it could not begin. Later events of the exchange are ignored.
        let settled = false;
        const settle = (err?: unknown) => {
          settled = true;
          res.off("close", onClientClose);
          res.off("drain", onDrain);
          if (err === undefined) resolve();
          else reject(err);
        };
        // A client that left aborts the upstream request, whether its answer has begun or not.
        let clientGone = false;
        const onClientClose = () => {
          if (res.writableFinished) return;
          clientGone = true;
          controller?.abort(new Error("the client went away"));
        };
        const onDrain = () => controller?.resume();
        res.once("close", onClientClose);
        res.on("drain", onDrain);

        // An answer's last chunk and its end usually arrive in one read from the upstream, but
        // the end is signalled a tick after the chunk: holding the socket corked for two ticks
        // sends the chunk and the end of the chunked body in one write instead of two.
        let corked = false;
        const uncork = () => {
          corked = false;
          res.uncork();
        };

        // undici's dispatch follows no redirects: a 3xx goes back to the client as it is.
        agent.dispatch(
          {
            origin,
            path,
            method: req.method as "GET" | "POST" | "DELETE",
            headers,
            body: req.rawBody,
          },
          {
            onRequestStart(c) {
              controller = c;
              if (clientGone) c.abort(new Error("the client went away"));
            },
            onResponseStart(c, status, upstreamHeaders) {
              if (status < 200) return; // informational: the answer is still to come
              try {
                const sessionId = header(upstreamHeaders, "mcp-session-id");
                const observer = observe({
                  sessionId: sessionId ?? header(req.headers, "mcp-session-id") ?? null,
                });
                for (const message of asMessages(req.body)) observer.fromClient(message);
                onHead({ status, sessionId });

                const responseHeaders: OutgoingHttpHeaders = {};
                for (const name of FORWARDED_RESPONSE_HEADERS) {
                  const value = upstreamHeaders[name];
                  if (value !== undefined) responseHeaders[name] = value;
                }
                res.writeHead(status, responseHeaders);
                const contentType = header(upstreamHeaders, "content-type") ?? "";
                // An event stream may stay quiet for long, so its headers must not wait for a
                // first event; but the answer to a call usually is in already, and headers
                // written with it go out in one packet (one write instead of two). So they are
                // flushed on their own only when nothing of the body arrived by the next turn.
                if (contentType.includes("text/event-stream")) {
                  setImmediate(() => {
                    if (!res.headersSent && !res.destroyed) res.flushHeaders();
                  });
                }
                tap = tapBody(contentType, (m) => observer.fromServer(m));
              } catch (err) {
                // Nothing was written: the caller answers, and the upstream's answer is dropped.
                settle(err);
                c.abort(err as Error);
              }
            },
            onResponseData(c, chunk) {
              if (settled || !tap) return;
              if (!corked) {
                corked = true;
                res.cork();
                process.nextTick(() => process.nextTick(uncork));
              }
              tap.push(chunk);
              if (!res.write(chunk)) c.pause();
            },
            onResponseEnd() {
              if (settled) return;
              res.end();
              tap?.end();
              settle();
            },
            onResponseError(_c, err) {
              if (settled) return;
              // Not begun: rejected having written nothing (the caller answers, if anyone is
              // still there). Broken off mid-answer: a truncated answer must not look complete.
              if (!tap) return settle(err);
              res.destroy();
              settle();
            },
          },
        );
      });
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
