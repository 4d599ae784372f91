import { type KeyboardEvent, useId } from "react";
import { EVENT_KINDS, type EventKind, type MetricsFilters, RANGES } from "./metrics-data";

export const KIND_LABELS: Record<EventKind, string> = {
  create: "Create",
  update: "Update",
  deploy: "Deploy",
  install: "Install",
  pull: "Pull",
  start: "Start",
  stop: "Stop",
  restart: "Restart",
  crash: "Crash",
  delete: "Delete",
};

/** Escape closes the open list and returns focus to its toggle, as for a menu. */
function closeOnEscape(e: KeyboardEvent<HTMLDetailsElement>) {
  if (e.key !== "Escape" || !e.currentTarget.open) return;
  e.currentTarget.open = false;
  e.currentTarget.querySelector("summary")?.focus();
}

interface Props {
  filters: MetricsFilters;
  onChange: (next: MetricsFilters) => void;
  onRefresh: () => void;
  refreshing: boolean;
  updatedAt: number;
}

/** The time range, the event types and a refresh button, above the charts. */
export function MetricsFilterBar({ filters, onChange, onRefresh, refreshing, updatedAt }: Props) {
  const rangeId = useId();
  const { kinds } = filters;
  const kindSummary =
    kinds.length === EVENT_KINDS.length
      ? "all"
      : kinds.length === 0
        ? "none"
        : kinds.length <= 2
          ? kinds.map((k) => KIND_LABELS[k]).join(", ")
          : `${kinds.length} of ${EVENT_KINDS.length}`;
  const toggle = (kind: EventKind, on: boolean) =>
    onChange({
      ...filters,
      kinds: EVENT_KINDS.filter((k) => (k === kind ? on : kinds.includes(k))),
    });

  return (
    <div className="metrics-filters">
      <div className="metrics-filter">
        <label htmlFor={rangeId}>Time range</label>
        <select
          id={rangeId}
          value={filters.range.id}
          onChange={(e) =>
            onChange({
              ...filters,
              range: RANGES.find((r) => r.id === e.target.value) ?? filters.range,
            })
          }
        >
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <details className="metrics-kinds" onKeyDown={closeOnEscape}>
        <summary>
          Event types: <span className="metrics-kinds-value">{kindSummary}</span>
        </summary>
        <fieldset className="bare">
          <legend className="visually-hidden">Event types to chart</legend>
          <div className="metrics-kind-list">
            {EVENT_KINDS.map((kind) => (
              <label key={kind} className="metrics-kind">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(e) => toggle(kind, e.target.checked)}
                />
                <span className="metrics-swatch" data-kind={kind} aria-hidden="true" />
                {KIND_LABELS[kind]}
              </label>
            ))}
          </div>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => onChange({ ...filters, kinds: EVENT_KINDS })}
            >
              All
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => onChange({ ...filters, kinds: [] })}
            >
              None
            </button>
          </div>
        </fieldset>
      </details>
      <div className="metrics-refresh">
        <button
          type="button"
          className="secondary"
          onClick={onRefresh}
          disabled={refreshing}
          aria-busy={refreshing}
        >
          {refreshing ? "Refreshing…" : "Refresh"}
        </button>
        <span className="muted">
          Updated {new Date(updatedAt).toLocaleTimeString()}; every 30 s
        </span>
      </div>
    </div>
  );
}
