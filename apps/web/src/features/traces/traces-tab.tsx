import { type ReactNode, useCallback } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { EmptyState, LoadError, Loading } from "../../components/states";
import type { StreamState } from "../../lib/event-stream";
import { useServerTab } from "../server-detail/server-outlet";
import { InvocationDrawer } from "./invocation-drawer";
import { InvocationList } from "./invocation-list";
import { TraceFilterBar } from "./trace-filter-bar";
import {
  filterKey,
  filtersFromParams,
  type TraceFilters,
  traceIdFromParams,
  withFilters,
  withTraceId,
} from "./trace-filters";
import { useInvocation, useInvocations } from "./use-invocations";
import "./traces.css";

/** /servers/:serverId/traces: the MCP requests through the gateway, live, filterable, linkable. */
export default function TracesTab() {
  const { server } = useServerTab();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);

  return (
    <section className="traces" aria-labelledby="traces-title">
      <h2 id="traces-title">Traces</h2>
      <TraceFilterBar
        filters={filters}
        onChange={(next) => setParams(withFilters(params, next), { replace: true })}
      />
      {/* Keyed by the filters: new filters start a new list and a new stream. */}
      <TraceFeed
        key={`${server.id}:${filterKey(filters)}`}
        serverId={server.id}
        filters={filters}
      />
    </section>
  );
}

const CONNECTION: Record<StreamState, { symbol: string; text: string; tone: string }> = {
  open: { symbol: "●", text: "Live", tone: "status-ok" },
  connecting: { symbol: "◌", text: "Connecting…", tone: "status-busy" },
  reconnecting: { symbol: "▲", text: "Reconnecting…", tone: "status-warn" },
  closed: { symbol: "■", text: "Not updating", tone: "status-bad" },
};

function TraceFeed({ serverId, filters }: { serverId: string; filters: TraceFilters }) {
  const { items, pages, dropped, connection } = useInvocations(serverId, filters);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const traceId = traceIdFromParams(params);
  const listed = traceId === null ? undefined : items.find((item) => item.id === traceId);
  // A link may name one that is not among those loaded: fetch it by itself.
  const single = useInvocation(serverId, traceId, !listed && !pages.isPending);

  const open = useCallback(
    (id: number) =>
      setParams((current) => withTraceId(current, id), { state: { openedFromList: true } }),
    [setParams],
  );
  function close() {
    // Opened from the list: going back closes it and Back stays meaningful. Opened by a link:
    // there is nothing to go back to inside the app, so the parameter is dropped in place.
    if ((location.state as { openedFromList?: boolean } | null)?.openedFromList) navigate(-1);
    else setParams((current) => withTraceId(current, null), { replace: true });
  }

  const filtered = filters.method !== "" || filters.tool !== "" || filters.errorsOnly;
  const state = CONNECTION[connection];
  let body: ReactNode;
  if (pages.isPending) body = <Loading label="Loading requests…" />;
  // Without data the first page failed; a failed "Load older" keeps the list and says so below it.
  else if (!pages.data) body = <LoadError error={pages.error} onRetry={() => pages.refetch()} />;
  else if (items.length === 0) {
    body = filtered ? (
      <EmptyState title="No MCP requests match these filters.">
        <p>
          <Link to={{ search: "" }} replace>
            Clear the filters
          </Link>
        </p>
      </EmptyState>
    ) : (
      <EmptyState title="No MCP requests yet.">
        <p>
          Connect a client (<Link to={`/servers/${serverId}/connect`}>Connect tab</Link>) or try a
          tool in the <Link to={`/servers/${serverId}/playground`}>Playground</Link>. Requests
          appear here as they happen.
        </p>
      </EmptyState>
    );
  } else {
    body = (
      <>
        <InvocationList items={items} onOpen={open} />
        <div className="trace-more">
          {pages.hasNextPage ? (
            <button
              type="button"
              className="secondary"
              disabled={pages.isFetchingNextPage}
              aria-busy={pages.isFetchingNextPage}
              onClick={() => pages.fetchNextPage()}
            >
              {pages.isFetchingNextPage ? "Loading…" : "Load older"}
            </button>
          ) : (
            <p className="muted">No older requests.</p>
          )}
          {pages.isFetchNextPageError ? <LoadError error={pages.error} /> : null}
        </div>
      </>
    );
  }

  return (
    <>
      <p className="trace-status">
        <span role="status" className={`badge ${state.tone}`}>
          <span aria-hidden="true">{state.symbol}</span> {state.text}
        </span>
        {items.length > 0 ? (
          <span className="muted">
            {items.length} request{items.length === 1 ? "" : "s"} loaded
          </span>
        ) : null}
        {dropped > 0 ? (
          <span className="muted">
            · showing the newest {items.length} live; reload the page to browse older ones
          </span>
        ) : null}
      </p>
      {body}
      {traceId !== null && (listed || !pages.isPending) ? (
        <InvocationDrawer
          invocation={listed ?? single.data}
          loading={!listed && single.isPending}
          error={listed ? null : single.error}
          onClose={close}
        />
      ) : null}
    </>
  );
}
