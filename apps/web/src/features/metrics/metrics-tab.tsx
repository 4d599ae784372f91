import type { Server } from "@mcphost/api-client";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { formatBytes, formatMs } from "../../lib/format";
import { useServerTab } from "../server-detail/server-outlet";
import {
  bucketEvents,
  callSeries,
  EVENT_KINDS,
  type EventKind,
  errorRate,
  filtersFromParams,
  type MetricsFilters,
  type MetricsWindow,
  metricsWindow,
  statsSeries,
  withFilters,
} from "./metrics-data";
import { KIND_LABELS, MetricsFilterBar } from "./metrics-filters";
import { useInvocationSummary, useNow, useStatsHistory, useUsageEvents } from "./metrics-queries";
import { type ChartSeries, TimeSeriesChart } from "./time-series-chart";
import "./metrics.css";

const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const formatCount = (v: number) => numbers.format(v);
const formatPercent = (v: number) => `${numbers.format(v)}%`;
const formatMb = (v: number) => formatBytes(v * 1024 * 1024);
const formatLatency = (v: number) => (v === 0 ? "0" : formatMs(v));
/** Event counts are whole: fractional axis ticks are left blank. */
const formatEvents = (v: number) => (Number.isInteger(v) ? String(v) : "");

/** Each kind keeps its colour whatever else is shown (crash is always red). */
const KIND_COLORS: Record<EventKind, string> = {
  create: "--chart-6",
  update: "--chart-9",
  deploy: "--chart-5",
  install: "--chart-10",
  pull: "--chart-8",
  start: "--chart-3",
  stop: "--chart-4",
  restart: "--chart-1",
  crash: "--chart-2",
  delete: "--chart-7",
};

/** /servers/:serverId/metrics: calls, errors, latency, CPU, memory and events over a time range. */
export default function MetricsTab() {
  const { server } = useServerTab();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const { now, refresh } = useNow();
  // One window for every chart, so their axes line up; it moves on with `now`.
  const span = useMemo(() => metricsWindow(filters.range, now), [filters.range, now]);
  const calls = useInvocationSummary(server.id, span);
  const stats = useStatsHistory(server.id, span);
  const events = useUsageEvents(server.id, span, filters.kinds);
  const refreshing = calls.isFetching || stats.isFetching || events.query.isFetching;

  return (
    <section className="metrics" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <MetricsFilterBar
        filters={filters}
        onChange={(next: MetricsFilters) => setParams(withFilters(params, next), { replace: true })}
        onRefresh={refresh}
        refreshing={refreshing}
        updatedAt={now}
      />
      <Headline
        calls={calls.data?.totals}
        events={filters.kinds.length > 0 ? events.query.data?.length : undefined}
      />

      <section className="metrics-group" aria-labelledby="metrics-calls">
        <h3 id="metrics-calls">MCP calls</h3>
        {calls.isPending ? (
          <Loading label="Loading calls…" />
        ) : calls.isError ? (
          <LoadError error={calls.error} onRetry={() => calls.refetch()} />
        ) : calls.data.totals.calls === 0 ? (
          <EmptyState title="No MCP calls in this range.">
            <p>
              Try a tool in the <Link to={`/servers/${server.id}/playground`}>Playground</Link>, or
              connect a client from the <Link to={`/servers/${server.id}/connect`}>Connect</Link>{" "}
              tab. Calls show up here within 30 seconds.
            </p>
          </EmptyState>
        ) : (
          <CallCharts summary={calls.data} />
        )}
      </section>

      <section className="metrics-group" aria-labelledby="metrics-resources">
        <h3 id="metrics-resources">CPU and memory</h3>
        {stats.isPending ? (
          <Loading label="Loading CPU and memory…" />
        ) : stats.isError ? (
          <LoadError error={stats.error} onRetry={() => stats.refetch()} />
        ) : stats.data.length === 0 ? (
          <EmptyState title="No CPU or memory samples in this range.">
            <p>{noSamplesHint(server)}</p>
          </EmptyState>
        ) : (
          <ResourceCharts samples={stats.data} span={span} />
        )}
      </section>

      <section className="metrics-group" aria-labelledby="metrics-events">
        <h3 id="metrics-events">
          Events {events.stream === "open" ? <span className="badge status-ok">Live</span> : null}
        </h3>
        <EventsChart
          filters={filters}
          span={span}
          query={events.query}
          onShowAll={() => setParams(withFilters(params, { ...filters, kinds: EVENT_KINDS }))}
        />
      </section>
    </section>
  );
}

function noSamplesHint(server: Server): string {
  if (server.status === "running") {
    return "Samples are taken every 15 seconds while the server runs; the first appears shortly.";
  }
  return "CPU and memory are sampled only while the server runs. Start it to see them here.";
}

/** The range's totals, above the charts. */
function Headline({
  calls,
  events,
}: {
  calls: { calls: number; errors: number; p95Ms: number | null } | undefined;
  events: number | undefined;
}) {
  const rate = calls ? errorRate(calls.calls, calls.errors) : null;
  const items = [
    { term: "MCP calls", value: calls ? formatCount(calls.calls) : "–" },
    { term: "Error rate", value: rate === null ? "–" : formatPercent(rate) },
    { term: "p95 latency", value: calls ? formatMs(calls.p95Ms) : "–" },
    { term: "Events", value: events === undefined ? "–" : formatCount(events) },
  ];
  return (
    <dl className="metrics-headline">
      {items.map((item) => (
        <div key={item.term}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function CallCharts({ summary }: { summary: Parameters<typeof callSeries>[0] }) {
  const data = useMemo(() => callSeries(summary), [summary]);
  const charts = useMemo(
    () => ({
      calls: [
        { label: "Calls/min", values: data.callsPerMinute, color: "--chart-1", fill: true },
      ] as ChartSeries[],
      errors: [{ label: "Errors", values: data.errorRate, color: "--chart-2" }] as ChartSeries[],
      latency: [
        { label: "p50", values: data.p50, color: "--chart-1" },
        { label: "p95", values: data.p95, color: "--chart-7", dash: [6, 3] },
        { label: "p99", values: data.p99, color: "--chart-2", dash: [2, 3] },
      ] as ChartSeries[],
    }),
    [data],
  );
  return (
    <div className="metrics-grid">
      <TimeSeriesChart
        title="Calls per minute"
        x={data.x}
        series={charts.calls}
        format={formatCount}
      />
      <TimeSeriesChart
        title="Error rate"
        x={data.x}
        series={charts.errors}
        format={formatPercent}
      />
      <TimeSeriesChart title="Latency" x={data.x} series={charts.latency} format={formatLatency} />
    </div>
  );
}

function ResourceCharts({
  samples,
  span,
}: {
  samples: Parameters<typeof statsSeries>[0];
  span: MetricsWindow;
}) {
  const data = useMemo(() => statsSeries(samples, span), [samples, span]);
  const cpu = useMemo<ChartSeries[]>(
    () => [{ label: "CPU", values: data.cpuPercent, color: "--chart-5", fill: true }],
    [data],
  );
  const memory = useMemo<ChartSeries[]>(
    () => [{ label: "Memory", values: data.memoryMb, color: "--chart-6", fill: true }],
    [data],
  );
  return (
    <div className="metrics-grid">
      <TimeSeriesChart title="CPU (% of one core)" x={data.x} series={cpu} format={formatPercent} />
      <TimeSeriesChart title="Memory" x={data.x} series={memory} format={formatMb} />
    </div>
  );
}

function EventsChart({
  filters,
  span,
  query,
  onShowAll,
}: {
  filters: MetricsFilters;
  span: MetricsWindow;
  query: ReturnType<typeof useUsageEvents>["query"];
  onShowAll: () => void;
}) {
  const data = useMemo(() => bucketEvents(query.data ?? [], span), [query.data, span]);
  const series = useMemo<ChartSeries[]>(
    () =>
      data.series.map((s) => ({
        label: KIND_LABELS[s.kind],
        values: s.counts,
        color: KIND_COLORS[s.kind],
      })),
    [data],
  );
  if (filters.kinds.length === 0) {
    return (
      <EmptyState title="No event types selected.">
        <button type="button" className="secondary" onClick={onShowAll}>
          Show every type
        </button>
      </EmptyState>
    );
  }
  if (query.isPending) return <Loading label="Loading events…" />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  if (series.length === 0) {
    const narrowed = filters.kinds.length < EVENT_KINDS.length;
    return (
      <EmptyState title={`No ${narrowed ? "matching " : ""}events in this range.`}>
        <p>
          Events are recorded when the server is created, changed, deployed, started, stopped,
          restarted or crashes. Try a longer time range
          {narrowed ? " or more event types" : ""}.
        </p>
        {narrowed ? (
          <button type="button" className="secondary" onClick={onShowAll}>
            Show every type
          </button>
        ) : null}
      </EmptyState>
    );
  }
  return (
    <div className="metrics-grid metrics-grid-wide">
      <TimeSeriesChart
        title="Events over time"
        x={data.x}
        series={series}
        variant="stacked-bars"
        format={formatEvents}
      />
    </div>
  );
}
