import { useEffect, useId, useState } from "react";
import { COMMON_METHODS, type TraceFilters } from "./trace-filters";

/** Typing pauses this long before a text filter applies: one query per word, not per letter. */
const TYPING_MS = 400;
const OTHER = "__other";

interface TraceFilterBarProps {
  filters: TraceFilters;
  onChange(filters: TraceFilters): void;
}

/**
 * Method (a common one, or any other typed in), target and errors-only. The select and the
 * checkbox apply at once; the text fields after a pause in typing, or on Enter.
 */
export function TraceFilterBar({ filters, onChange }: TraceFilterBarProps) {
  const id = useId();
  const known = (COMMON_METHODS as readonly string[]).includes(filters.method);
  const [otherChosen, setOtherChosen] = useState(filters.method !== "" && !known);
  const [methodDraft, setMethodDraft] = useState(known ? "" : filters.method);
  const [toolDraft, setToolDraft] = useState(filters.tool);
  const showOther = otherChosen || (filters.method !== "" && !known);

  // Follow the URL when it changes under the fields (Back, a link, "Clear filters").
  useEffect(() => setToolDraft(filters.tool), [filters.tool]);
  useEffect(() => {
    if (filters.method !== "" && !known) setMethodDraft(filters.method);
  }, [filters.method, known]);

  const draft: TraceFilters = {
    ...filters,
    tool: toolDraft.trim(),
    method: showOther ? methodDraft.trim() : filters.method,
  };
  const changed = draft.tool !== filters.tool || draft.method !== filters.method;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the drafts are what is waited on
  useEffect(() => {
    if (!changed) return;
    const timer = setTimeout(() => onChange(draft), TYPING_MS);
    return () => clearTimeout(timer);
  }, [toolDraft, methodDraft, changed]);

  return (
    <form
      className="trace-filters"
      aria-label="Filter requests"
      onSubmit={(event) => {
        event.preventDefault();
        if (changed) onChange(draft);
      }}
    >
      <div className="trace-filter">
        <label htmlFor={`${id}-method`}>Method</label>
        <select
          id={`${id}-method`}
          value={showOther ? OTHER : filters.method}
          onChange={(event) => {
            const value = event.target.value;
            if (value === OTHER) {
              setOtherChosen(true);
              return;
            }
            setOtherChosen(false);
            setMethodDraft("");
            onChange({ ...filters, tool: toolDraft.trim(), method: value });
          }}
        >
          <option value="">Any method</option>
          {COMMON_METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
          <option value={OTHER}>Other…</option>
        </select>
      </div>
      {showOther ? (
        <div className="trace-filter">
          <label htmlFor={`${id}-other`}>Other method</label>
          <input
            id={`${id}-other`}
            value={methodDraft}
            placeholder="e.g. notifications/roots/list_changed"
            onChange={(event) => setMethodDraft(event.target.value)}
          />
        </div>
      ) : null}
      <div className="trace-filter">
        <label htmlFor={`${id}-tool`}>Tool or target</label>
        <input
          id={`${id}-tool`}
          value={toolDraft}
          placeholder="Exact name or URI"
          onChange={(event) => setToolDraft(event.target.value)}
        />
      </div>
      <label className="inline-check trace-errors">
        <input
          type="checkbox"
          checked={filters.errorsOnly}
          onChange={(event) => onChange({ ...draft, errorsOnly: event.target.checked })}
        />
        Errors only
      </label>
      {/* Enter in a text field applies at once; the button is there for those who look for one. */}
      <button type="submit" className="secondary">
        Apply
      </button>
    </form>
  );
}
