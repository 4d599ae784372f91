export interface SseMessage {
  event: string;
  id: string | undefined;
  data: any;
}

/**
 * Reads Server-Sent Events from a URL until `stop` returns true (or the timeout passes), then
 * closes the connection. Returns every message received.
 */
export async function readSse(
  url: string,
  headers: Record<string, string>,
  stop: (messages: SseMessage[]) => boolean,
  timeoutMs = 15_000,
): Promise<SseMessage[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const messages: SseMessage[] = [];
  try {
    const res = await fetch(url, {
      headers: { accept: "text/event-stream", ...headers },
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`SSE ${url} answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((l) => l && !l.startsWith(":"))
            .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]),
        );
        if (fields.data === undefined) continue;
        messages.push({
          event: fields.event ?? "message",
          id: fields.id,
          data: JSON.parse(fields.data),
        });
        if (stop(messages)) return messages;
      }
    }
    return messages;
  } catch (err) {
    if ((err as Error).name === "AbortError") return messages;
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
