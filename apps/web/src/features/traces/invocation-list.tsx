import type { Invocation } from "@mcphost/api-client";
import { memo } from "react";
import { formatMs } from "../../lib/format";
import { outcomeOf } from "./trace-filters";

const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const dateAndTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Today's times as a clock; older ones with their day, which the clock alone would hide. */
export function shortTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString()
    ? timeOfDay.format(date)
    : dateAndTime.format(date);
}

interface InvocationListProps {
  items: readonly Invocation[];
  onOpen(id: number): void;
}

/**
 * The invocations as a list of buttons, one per row, so each is reachable and opened by keyboard.
 * The column heads are visual only: each cell also carries its meaning in its text or label.
 */
export function InvocationList({ items, onOpen }: InvocationListProps) {
  return (
    <div className="trace-table">
      <div className="trace-head" aria-hidden="true">
        <span>Time</span>
        <span>From</span>
        <span>Method</span>
        <span>Target</span>
        <span>Client</span>
        <span className="trace-num">Latency</span>
        <span>Outcome</span>
      </div>
      <ol className="trace-list" aria-label="MCP requests, newest first">
        {items.map((item) => (
          <li key={item.id}>
            <InvocationRow item={item} onOpen={onOpen} />
          </li>
        ))}
      </ol>
    </div>
  );
}

/** One invocation; memoised, so a new arrival renders one row, not the whole list. */
export const InvocationRow = memo(function InvocationRow({
  item,
  onOpen,
}: {
  item: Invocation;
  onOpen(id: number): void;
}) {
  const outcome = outcomeOf(item);
  return (
    <button
      type="button"
      className={`trace-row outcome-${outcome.kind}`}
      data-trace-id={item.id}
      onClick={() => onOpen(item.id)}
    >
      <span className="trace-time">
        <time dateTime={item.startedAt}>{shortTime(item.startedAt)}</time>
      </span>
      <span className={`trace-direction direction-${item.direction}`}>
        <span className="visually-hidden">from </span>
        {item.direction}
      </span>
      <span className="trace-method">{item.method}</span>
      <span className="trace-target">{item.target ?? ""}</span>
      <span className="trace-client">{item.clientName ?? ""}</span>
      <span className="trace-num">{item.latencyMs === null ? "" : formatMs(item.latencyMs)}</span>
      <span className={`trace-outcome outcome-${outcome.kind}`}>
        <span aria-hidden="true">{outcome.icon}</span> {outcome.label}
      </span>
    </button>
  );
});
