import type { LogLine } from "@mcphost/api-client";
import { memo, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from "react";
import { splitMatches } from "./log-filter";

interface LogScrollerProps {
  label: string;
  /** The lines to show, oldest first. */
  lines: readonly LogLine[];
  /** Highlighted in each line. */
  query: string;
  /** Above the first line: "Load older lines", "Beginning of the log"... */
  top: ReactNode;
  /** Shown instead of lines when there are none. */
  empty: ReactNode;
  /** The reader reached the top (scrolling, or the lines do not fill the region). */
  onTop(reason: "scrolled" | "underfull"): void;
  /** Changes when the view should jump to the newest line and follow again (Resume). */
  followSignal: number;
}

/** Within this many pixels of the bottom counts as "at the bottom". */
const BOTTOM_SLACK = 8;
/** Within this many pixels of the top asks for older lines. */
const TOP_SLACK = 48;

/**
 * The scrolling log region. It follows new lines only while the reader is at the bottom;
 * otherwise it keeps the first visible line where it was, whether lines were added above
 * (history) or dropped from the start (the cap), so what the reader is reading never jumps.
 */
export function LogScroller(props: LogScrollerProps) {
  const { label, lines, query, top, empty, onTop, followSignal } = props;
  const region = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const [detached, setDetached] = useState(false);
  const onTopRef = useRef(onTop);
  onTopRef.current = onTop;

  /** Notes where the reader is, for the next change of lines to keep. */
  function measure() {
    const el = region.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    anchor.current = rows.current ? firstVisible(rows.current, el.scrollTop) : null;
    setDetached(!atBottom.current);
  }

  useLayoutEffect(() => {
    const el = region.current;
    if (!el) return;
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    } else if (anchor.current && rows.current) {
      const row = rows.current.querySelector<HTMLElement>(`[data-id="${anchor.current.id}"]`);
      if (row) el.scrollTop = row.offsetTop - anchor.current.offset;
    }
    measure();
    if (lines.length > 0 && el.scrollHeight <= el.clientHeight) onTopRef.current("underfull");
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: followSignal is the trigger itself
  useEffect(() => {
    if (followSignal === 0) return;
    jumpToEnd();
  }, [followSignal]);

  function jumpToEnd() {
    const el = region.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    measure();
  }

  return (
    <div className="log-frame">
      {/* role="log" implies aria-live="polite"; reading every line aloud would drown the reader,
          so it is switched off. The connection state and counts are announced elsewhere. */}
      <div
        ref={region}
        role="log"
        aria-label={label}
        aria-live="off"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
        className="log-region"
        onScroll={() => {
          measure();
          if ((region.current?.scrollTop ?? 1) <= TOP_SLACK) onTop("scrolled");
        }}
      >
        <div className="log-top">{top}</div>
        {lines.length === 0 ? <div className="log-empty">{empty}</div> : null}
        <div ref={rows} className="log-rows">
          {lines.map((line) => (
            <LogRow key={line.id} line={line} query={query} />
          ))}
        </div>
      </div>
      {detached && lines.length > 0 ? (
        <button type="button" className="secondary log-jump" onClick={jumpToEnd}>
          <span aria-hidden="true">↓</span> Latest lines
        </button>
      ) : null}
    </div>
  );
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hourCycle: "h23",
});

/** One line; memoised, so a new batch renders only its own lines. */
const LogRow = memo(function LogRow({ line, query }: { line: LogLine; query: string }) {
  return (
    <div className={`log-line log-${line.stream}`} data-id={line.id}>
      <time dateTime={line.time} title={new Date(line.time).toLocaleString()}>
        {clock.format(new Date(line.time))}
      </time>
      {/* stdout is the normal case and goes unlabelled; the others say so in words, not only color. */}
      <span className="log-stream">{line.stream === "stdout" ? "" : line.stream}</span>
      <span className="log-text">
        {splitMatches(line.line, query).map((part, i) =>
          part.match ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one line never reorder
            <mark key={i}>{part.text}</mark>
          ) : (
            part.text
          ),
        )}
      </span>
    </div>
  );
});

/** The first row at least partly visible at `scrollTop`, and how far below the top it starts. */
function firstVisible(rows: HTMLElement, scrollTop: number): { id: string; offset: number } | null {
  const children = rows.children;
  let low = 0;
  let high = children.length - 1;
  let found: HTMLElement | null = null;
  // Rows are in document order, so their offsets grow: a binary search finds it among thousands.
  while (low <= high) {
    const mid = (low + high) >> 1;
    const row = children[mid] as HTMLElement;
    if (row.offsetTop + row.offsetHeight > scrollTop) {
      found = row;
      high = mid - 1;
    } else {
      low = mid + 1;
    }
  }
  const id = found?.dataset.id;
  return found && id ? { id, offset: found.offsetTop - scrollTop } : null;
}
