import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { TraceContext } from "./ports.js";

/** Request headers an MCP server needs; everything else (cookies, the client's key) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "content-type",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
  "user-agent",
];
const FORWARDED_RESPONSE_HEADERS = [
  "content-type",
  "cache-control",
  "mcp-session-id",
  "mcp-protocol-version",
];

export interface ProxyTarget {
  url: string;
  /** Extra headers for the upstream (a remote server's own credentials). */
  headers: Record<string, string>;
}

export interface ProxyObserver {
  fromClient(message: JSONRPCMessage): void;
  fromServer(message: JSONRPCMessage): void;
}

const asMessages = (body: unknown): JSONRPCMessage[] =>
  (Array.isArray(body) ? body : [body]).filter(
    (m): m is JSONRPCMessage => typeof m === "object" && m !== null,
  );

/**
 * Forwards one Streamable HTTP request to a server that speaks it itself, streaming the answer
 * back as it comes (SSE events are not held back, large bodies are not buffered). A copy of the
 * response is read alongside, only to report the JSON-RPC messages in it to the observer.
 */
export async function proxyStreamableHttp(
  request: Request,
  body: unknown,
  rawBody: string | undefined,
  target: ProxyTarget,
  observe: (ctx: Pick<TraceContext, "sessionId">) => ProxyObserver,
): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(target.headers)) headers.set(name, value);

  const upstream = await fetch(target.url, {
    method: request.method,
    headers,
    body: rawBody,
    redirect: "manual",
    signal: request.signal,
  });

  const sessionId = upstream.headers.get("mcp-session-id") ?? request.headers.get("mcp-session-id");
  const observer = observe({ sessionId });
  for (const message of asMessages(body)) observer.fromClient(message);

  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  if (!upstream.body)
    return new Response(null, { status: upstream.status, headers: responseHeaders });

  const [toClient, toObserver] = upstream.body.tee();
  void observeBody(toObserver, upstream.headers.get("content-type") ?? "", observer);
  return new Response(toClient, { status: upstream.status, headers: responseHeaders });
}

async function observeBody(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  observer: ProxyObserver,
): Promise<void> {
  try {
    if (contentType.includes("text/event-stream")) {
      const events = body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      for await (const event of events) {
        if (!event.data) continue; // priming events
        for (const message of asMessages(JSON.parse(event.data))) observer.fromServer(message);
      }
    } else if (contentType.includes("application/json")) {
      const text = await new Response(body).text();
      for (const message of asMessages(JSON.parse(text))) observer.fromServer(message);
    } else {
      await body.cancel();
    }
  } catch {
    // Not JSON-RPC, or the stream broke: the client got it as it was; nothing to trace.
  }
}
