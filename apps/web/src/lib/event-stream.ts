import { useEffect, useRef, useState } from "react";

export type StreamState = "connecting" | "open" | "reconnecting" | "closed";

/**
 * Subscribes to a server-sent event stream for as long as the component is mounted and `url` is
 * set. Each named event's data is parsed as JSON and handed to its handler. The browser's
 * EventSource reconnects by itself, sending Last-Event-ID, so the per-server streams resume without
 * gaps; `state` says whether the stream is live, for a "reconnecting" hint in the UI.
 */
export function useEventStream<Events extends Record<string, unknown>>(
  url: string | null,
  handlers: { [K in keyof Events]?: (data: Events[K], id: string) => void },
): StreamState {
  const [state, setState] = useState<StreamState>("connecting");
  // The latest handlers, so that a re-render does not reopen the stream.
  const latest = useRef(handlers);
  latest.current = handlers;
  const names = Object.keys(handlers).sort().join(",");

  useEffect(() => {
    if (!url) {
      setState("closed");
      return;
    }
    setState("connecting");
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setState("open");
    source.onerror = () =>
      setState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    for (const name of names.split(",").filter(Boolean)) {
      source.addEventListener(name, (event) => {
        const message = event as MessageEvent<string>;
        const handler = latest.current[name as keyof Events];
        if (!handler) return;
        try {
          handler(JSON.parse(message.data) as Events[keyof Events], message.lastEventId);
        } catch {
          // A message that is not JSON is not one of ours; ignore it rather than break the feed.
        }
      });
    }
    return () => source.close();
  }, [url, names]);

  return state;
}
