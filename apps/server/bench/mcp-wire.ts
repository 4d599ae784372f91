/**
 * The MCP Streamable HTTP wire as the benchmark client speaks it: request bodies built once, and
 * answers read either as one JSON body or as an SSE stream that carries the response among other
 * events (priming events, progress, log notifications).
 */

/** The protocol version the client asks for; the server's answer is what later requests carry. */
export const PROTOCOL_VERSION = "2025-11-25";

export const ECHO_MESSAGE = "hello";
/** What server-everything's `echo` tool answers (and the loopback floor imitates). */
export const ECHO_TEXT = `Echo: ${ECHO_MESSAGE}`;

export function requestBody(id: number, method: string, params?: unknown): Buffer {
  return Buffer.from(
    JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }),
  );
}

export function notificationBody(method: string): Buffer {
  return Buffer.from(JSON.stringify({ jsonrpc: "2.0", method }));
}

export const initializeBody = (id: number) =>
  requestBody(id, "initialize", {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "mcphost-bench", version: "1" },
  });

export const echoCallBody = (id: number) =>
  requestBody(id, "tools/call", { name: "echo", arguments: { message: ECHO_MESSAGE } });

/**
 * Echo calls with ids 1..count, built once: a measurement only picks a Buffer, so the client
 * spends no time serialising and every arm is sent byte-identical requests. Requests in flight in
 * one session must have distinct ids (servers route answers by id), hence one body per slot.
 */
export function echoBodies(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => echoCallBody(i + 1));
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * The response to request `id` in one JSON text (a message or a batch), or undefined when the
 * text holds something else (a notification, a server request, an empty priming event).
 */
export function findResponse(text: string, id: number | string): JsonRpcResponse | undefined {
  if (text.trim() === "") return undefined;
  const parsed = JSON.parse(text) as unknown;
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const m = message as Partial<JsonRpcResponse> | null;
    if (m && m.id === id && ("result" in m || "error" in m)) return m as JsonRpcResponse;
  }
  return undefined;
}

/**
 * Splits a text/event-stream into events, fed in arbitrary chunks. Returns the data of each
 * complete event (its `data:` lines joined by newlines), per the WHATWG event-stream rules that
 * matter here: LF, CRLF or CR line ends, comment lines, an optional space after the colon.
 *
 * Linear in the stream's length: a line that spans many chunks (a 1 MiB result is one `data:`
 * line) is kept in pieces and joined once it ends, and each chunk is searched once. Rescanning
 * the whole pending line on every chunk made the client, not the arm, the bottleneck there.
 */
export class SseReader {
  /** The current line's start, in pieces that hold no line end. */
  #fragments: string[] = [];
  /** A CR that ended the last chunk: it may be half of a CRLF, so it waits for the next one. */
  #heldCr = false;
  #data: string[] = [];

  push(chunk: string): string[] {
    const events: string[] = [];
    const text = this.#heldCr ? `\r${chunk}` : chunk;
    this.#heldCr = false;
    let start = 0;
    let lf = text.indexOf("\n");
    let cr = text.indexOf("\r");
    for (;;) {
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (end < 0) break;
      if (end === cr && end === text.length - 1) {
        this.#heldCr = true;
        break;
      }
      const piece = text.slice(start, end);
      const line = this.#fragments.length > 0 ? this.#fragments.join("") + piece : piece;
      this.#fragments = [];
      start = end + (text.startsWith("\r\n", end) ? 2 : 1);
      if (lf < start) lf = text.indexOf("\n", start);
      if (cr < start) cr = text.indexOf("\r", start);
      this.#line(line, events);
    }
    const rest = text.slice(start, this.#heldCr ? -1 : undefined);
    if (rest !== "") this.#fragments.push(rest);
    return events;
  }

  #line(line: string, events: string[]) {
    if (line === "") {
      if (this.#data.length > 0) events.push(this.#data.join("\n"));
      this.#data = [];
    } else if (line.startsWith("data:")) {
      const value = line.slice(5);
      this.#data.push(value.startsWith(" ") ? value.slice(1) : value);
    }
    // `id:`, `event:`, `retry:` and comments do not matter to a benchmark.
  }
}

/** The text of a `tools/call` result's first content item, to check an answer is the real one. */
export function firstText(response: JsonRpcResponse): string | undefined {
  const content = (response.result as { content?: Array<{ text?: unknown }> } | undefined)?.content;
  const text = content?.[0]?.text;
  return typeof text === "string" ? text : undefined;
}
