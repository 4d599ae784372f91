import { useDeferredValue, useId, useMemo, useRef, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import type { StreamState } from "../../lib/event-stream";
import { LOG_STREAMS, type LogStream, lineFilter, logFileName, logFileText } from "./log-filter";
import { LogScroller } from "./log-scroller";
import { type LogHistory, type LogSource, type LogTail, useLogTail } from "./use-log-tail";
import "./logs.css";

export interface LogViewerProps {
  serverId: string;
  slug: string;
  name: string;
  /** For tests: live lines from here rather than the server's stream. */
  source?: LogSource | undefined;
  /** For tests: older lines from here rather than the API. */
  history?: LogHistory | undefined;
  cap?: number | undefined;
}

const CONNECTION: Record<StreamState, { symbol: string; text: string; tone: string }> = {
  open: { symbol: "●", text: "Live", tone: "status-ok" },
  connecting: { symbol: "◌", text: "Connecting…", tone: "status-busy" },
  reconnecting: { symbol: "▲", text: "Reconnecting…", tone: "status-warn" },
  closed: { symbol: "■", text: "Disconnected", tone: "status-bad" },
};

const count = new Intl.NumberFormat();

/** A server's log: live tail, older history on scroll, search, stream filter, pause, download. */
export function LogViewer(props: LogViewerProps) {
  const { serverId, slug, name, source, history, cap } = props;
  const tail = useLogTail({ serverId, source, history, cap });
  const [query, setQuery] = useState("");
  const [streams, setStreams] = useState<ReadonlySet<LogStream>>(() => new Set(LOG_STREAMS));
  // Typing stays responsive with thousands of lines: the filtering render may lag a keystroke.
  const deferredQuery = useDeferredValue(query);
  const [followSignal, setFollowSignal] = useState(0);
  const searchId = useId();
  const toggle = useRef<HTMLButtonElement>(null);

  const filtering = deferredQuery !== "" || streams.size < LOG_STREAMS.length;
  const visible = useMemo(
    () =>
      filtering ? tail.lines.filter(lineFilter({ query: deferredQuery, streams })) : tail.lines,
    [tail.lines, deferredQuery, streams, filtering],
  );
  const connection = CONNECTION[tail.connection];

  function toggleStream(stream: LogStream, on: boolean) {
    const next = new Set(streams);
    if (on) next.add(stream);
    else next.delete(stream);
    setStreams(next);
  }

  function resume() {
    tail.resume();
    setFollowSignal((n) => n + 1);
  }

  function download() {
    const blob = new Blob([logFileText(tail.allLines())], { type: "text/plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = logFileName(slug, new Date());
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked a little later: some browsers still read the URL after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section className="logs" aria-labelledby={`${searchId}-title`}>
      <div className="logs-header">
        <h2 id={`${searchId}-title`}>Logs</h2>
        <p role="status" className={`badge ${connection.tone}`}>
          <span aria-hidden="true">{connection.symbol}</span> {connection.text}
        </p>
      </div>

      <div className="logs-toolbar">
        <div className="logs-search">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            value={query}
            placeholder="Filter lines"
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <fieldset className="bare logs-streams">
          <legend className="visually-hidden">Streams</legend>
          {LOG_STREAMS.map((stream) => (
            <label key={stream} className="inline-check">
              <input
                type="checkbox"
                checked={streams.has(stream)}
                onChange={(event) => toggleStream(stream, event.target.checked)}
              />
              {stream}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          {/* One button whose words change, so focus stays on it across Pause and Resume. */}
          <button
            ref={toggle}
            type="button"
            className={tail.paused ? "" : "secondary"}
            onClick={tail.paused ? resume : tail.pause}
          >
            {tail.paused ? "Resume" : "Pause"}
          </button>
          <button type="button" className="secondary" onClick={download}>
            Download
          </button>
        </div>
      </div>

      <p className="logs-summary muted">
        {filtering
          ? `${count.format(visible.length)} of ${count.format(tail.lines.length)} lines match`
          : `${count.format(tail.lines.length)} lines`}
        {tail.dropped > 0
          ? ` · ${count.format(tail.dropped)} older lines dropped to keep at most ${count.format(tail.cap)} in memory`
          : ""}
      </p>

      <LogScroller
        label={`Log of ${name}`}
        lines={visible}
        query={deferredQuery}
        followSignal={followSignal}
        onTop={(reason) => {
          // Filtered lines that do not fill the region should not pull in the whole history.
          if (reason === "underfull" && filtering) return;
          if (!tail.olderError) tail.loadOlder();
        }}
        top={<HistoryEdge tail={tail} />}
        empty={
          <p className="muted">
            {filtering
              ? "No loaded line matches."
              : "No log lines yet. Output appears here as the server writes it."}
          </p>
        }
      />

      {tail.paused ? (
        <div className="logs-paused">
          <span>
            Paused
            {tail.heldCount > 0
              ? ` · ${count.format(tail.heldCount)} new line${tail.heldCount === 1 ? "" : "s"}`
              : ""}
          </span>
          <button
            type="button"
            onClick={() => {
              resume();
              // This bar goes away with the click; focus moves to the toggle rather than the page.
              toggle.current?.focus();
            }}
          >
            Resume
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** The top of the loaded lines: more to load, loading, a failure, or the very beginning. */
function HistoryEdge({ tail }: { tail: LogTail }) {
  if (tail.lines.length === 0) return null;
  if (tail.reachedStart) return <p className="muted">Beginning of the log</p>;
  if (tail.lines.length >= tail.cap) {
    return (
      <p className="muted">
        Older lines are not loaded: at most {count.format(tail.cap)} lines are kept in memory.
      </p>
    );
  }
  if (tail.loadingOlder) return <p className="muted">Loading older lines…</p>;
  return (
    <>
      {tail.olderError ? <ErrorAlert error={tail.olderError} /> : null}
      <button type="button" className="link-button" onClick={tail.loadOlder}>
        {tail.olderError ? "Try again" : "Load older lines"}
      </button>
    </>
  );
}
