import type { Invocation } from "@mcphost/api-client";
import { useEffect, useId, useRef } from "react";
import { CopyButton } from "../../components/copy-button";
import { LoadError, Loading } from "../../components/states";
import { formatMs, formatTime } from "../../lib/format";
import { outcomeOf } from "./trace-filters";

interface InvocationDrawerProps {
  /** The invocation, or null when it could not be found. */
  invocation: Invocation | null | undefined;
  loading: boolean;
  error: unknown;
  onClose(): void;
}

/**
 * The details of one invocation in a side panel (full screen on a phone), built on a modal
 * <dialog>: the page behind is inert, Escape closes it, focus moves to its heading on opening
 * and back to what had it (the row) on closing.
 */
export function InvocationDrawer({ invocation, loading, error, onClose }: InvocationDrawerProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal?.();
    heading.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The dialog leaves the page with this component, so the browser's own return of focus
      // cannot be relied on.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes it (onCancel); a click outside is an extra for pointers
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // A click on the backdrop lands on the <dialog> itself; clicks inside land on its content.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="drawer-body">
        <header className="drawer-header">
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            {invocation ? invocation.method : "MCP request"}
            {invocation?.target ? (
              <span className="drawer-target"> {invocation.target}</span>
            ) : null}
          </h2>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </header>
        {loading ? <Loading label="Loading the request…" /> : null}
        {error ? <LoadError error={error} /> : null}
        {!loading && !error && !invocation ? (
          <p>This request is no longer stored: only the newest requests of each server are kept.</p>
        ) : null}
        {invocation ? <InvocationDetails invocation={invocation} /> : null}
      </div>
    </dialog>
  );
}

function InvocationDetails({ invocation: i }: { invocation: Invocation }) {
  const outcome = outcomeOf(i);
  return (
    <>
      <dl className="details drawer-details">
        <div>
          <dt>Outcome</dt>
          <dd className={`trace-outcome outcome-${outcome.kind}`}>
            <span aria-hidden="true">{outcome.icon}</span> {outcome.label}
            {i.error ? ` (${i.error.code}: ${i.error.message})` : ""}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={i.startedAt}>{formatTime(i.startedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd>{i.latencyMs === null ? "no answer" : formatMs(i.latencyMs)}</dd>
        </div>
        <div>
          <dt>Direction</dt>
          <dd>{i.direction === "client" ? "client → server" : "server → client"}</dd>
        </div>
        <div>
          <dt>Client</dt>
          <dd>
            {i.clientName ?? "unknown"}
            {i.clientVersion ? ` ${i.clientVersion}` : ""}
          </dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd className="drawer-copyable">
            {i.sessionId ? (
              <>
                <code>{i.sessionId}</code>
                <CopyButton text={i.sessionId} label="Copy session id" />
              </>
            ) : (
              "none"
            )}
          </dd>
        </div>
        <div>
          <dt>Request id</dt>
          <dd>
            <code>{i.id}</code>
          </dd>
        </div>
      </dl>
      <JsonBlock title="Params" value={i.params} />
      <JsonBlock title="Result" value={i.result} />
      <JsonBlock title="Error" value={i.error} />
    </>
  );
}

/** A value over the server's size cap, stored as a preview of its JSON. */
function truncatedBytes(value: unknown): number | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as { truncated?: unknown; bytes?: unknown };
  return v.truncated === true && typeof v.bytes === "number" ? v.bytes : null;
}

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  const id = useId();
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value, null, 2);
  const bytes = truncatedBytes(value);
  return (
    <section className="drawer-json" aria-labelledby={id}>
      <div className="drawer-json-header">
        <h3 id={id}>{title}</h3>
        <CopyButton text={text} label={`Copy ${title.toLowerCase()}`} />
      </div>
      {bytes !== null ? (
        <p className="muted">
          Too large to store in full ({bytes.toLocaleString()} bytes): the beginning is kept.
        </p>
      ) : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must be reachable by keyboard */}
      <pre tabIndex={0}>{text}</pre>
    </section>
  );
}
