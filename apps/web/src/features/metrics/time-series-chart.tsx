import { useEffect, useId, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { stack } from "./metrics-data";

export interface ChartSeries {
  label: string;
  /** One per x; null where there is no data (drawn as a gap). */
  values: ReadonlyArray<number | null>;
  /** The CSS custom property holding the colour, e.g. `--chart-1`, so themes can change it. */
  color: string;
  /** Line dash in CSS pixels, so lines differ by more than colour. */
  dash?: number[];
  /** Fill the area under the line. */
  fill?: boolean;
}

export interface TimeSeriesChartProps {
  title: string;
  /** Bucket starts, epoch milliseconds. */
  x: readonly number[];
  series: readonly ChartSeries[];
  /** Lines, or counts as bars stacked in the order given (the first at the bottom). */
  variant?: "line" | "stacked-bars";
  /** How a value reads on the axis, in the legend, the table and the description. */
  format: (value: number) => string;
  height?: number;
}

/**
 * A uPlot time-series chart that follows its container's width and the light or dark theme.
 * Screen readers get a summary as the chart's name and, on request, the numbers as a table.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { title, x, series, variant = "line", format, height = 180 } = props;
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Latest props for uPlot's callbacks and the data effect, without rebuilding the chart.
  const latest = useRef(props);
  latest.current = props;
  const theme = useThemeVersion();
  const shape = `${variant}|${height}|${series.map((s) => `${s.label}:${s.color}`).join(",")}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when its shape or theme changes; data flows through `latest`
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(
      chartOptions(el, latest, el.clientWidth, height),
      chartData(latest.current),
      el,
    );
    plot.current = chart;
    let width = el.clientWidth;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth === width || el.clientWidth === 0) return;
      width = el.clientWidth;
      chart.setSize({ width, height });
    });
    resize.observe(el);
    // uPlot caches where the plot is on the page, updating it only on scroll and resize; content
    // loading above moves it, so refresh it whenever a pointer arrives to hover.
    const sync = () => chart.syncRect();
    el.addEventListener("pointerenter", sync);
    return () => {
      el.removeEventListener("pointerenter", sync);
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, theme]);

  useEffect(() => {
    plot.current?.setData(chartData({ x, series, variant }));
  }, [x, series, variant]);

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <div
        ref={box}
        className="chart-plot"
        role="img"
        aria-label={`${title}: ${describe(series, variant, format)}`}
      />
      <DataTable title={title} x={x} series={series} format={format} />
    </figure>
  );
}

/** The numbers behind the chart, rendered only once opened (a week has many rows). */
function DataTable({ title, x, series, format }: Omit<TimeSeriesChartProps, "variant">) {
  const [open, setOpen] = useState(false);
  const rows = x
    .map((time, i) => ({ time, values: series.map((s) => s.values[i] ?? null) }))
    .filter((row) => row.values.some((v) => v !== null && v !== 0));
  return (
    <details className="chart-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Data table</summary>
      {open ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              {title}, by time; times without data are left out
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.time}>
                  <th scope="row">{new Date(row.time).toLocaleString()}</th>
                  {row.values.map((v, i) => (
                    <td key={series[i]?.label}>{v === null ? "–" : format(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">No data in this range.</p> : null}
        </div>
      ) : null}
    </details>
  );
}

/** "p50: highest 12 ms, latest 3 ms; ..." for lines; "start: 3 in total; ..." for counts. */
export function describe(
  series: readonly ChartSeries[],
  variant: TimeSeriesChartProps["variant"],
  format: (v: number) => string,
): string {
  const parts = series.map((s) => {
    const present = s.values.filter((v): v is number => v !== null);
    if (present.length === 0) return `${s.label}: no data`;
    if (variant === "stacked-bars") {
      return `${s.label}: ${format(present.reduce((a, b) => a + b, 0))} in total`;
    }
    const latestValue = present[present.length - 1] as number;
    return `${s.label}: highest ${format(Math.max(...present))}, latest ${format(latestValue)}`;
  });
  return parts.length ? parts.join("; ") : "no data";
}

/** Stacked bars are drawn top series first, each as the running total up to it. */
function drawOrder<T>(items: readonly T[], variant: TimeSeriesChartProps["variant"]): T[] {
  return variant === "stacked-bars" ? [...items].reverse() : [...items];
}

function chartData(p: Pick<TimeSeriesChartProps, "x" | "series" | "variant">): uPlot.AlignedData {
  const xs = p.x.map((t) => t / 1000);
  const ys =
    p.variant === "stacked-bars"
      ? drawOrder(stack(p.series.map((s) => s.values)), p.variant)
      : p.series.map((s) => [...s.values]);
  return [xs, ...ys];
}

function chartOptions(
  el: HTMLElement,
  props: { current: TimeSeriesChartProps },
  width: number,
  height: number,
): uPlot.Options {
  const css = getComputedStyle(el);
  const color = resolvedColor(el);
  const { variant = "line" } = props.current;
  const stacked = variant === "stacked-bars";
  const ordered = drawOrder(props.current.series, variant);
  const axis: uPlot.Axis = {
    stroke: color("--muted"),
    grid: { stroke: color("--chart-grid"), width: 1 },
    ticks: { stroke: color("--chart-grid"), width: 1 },
    font: `12px ${css.fontFamily}`,
  };
  const bars = uPlot.paths.bars?.({ size: [0.7, 40], align: 1 });
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      // One step of room after the last bucket: its bar has space, and the axis reaches "now".
      x: { time: true, range: (u, min, max) => [min, max + step(u)] },
      // Counts, rates and sizes start at zero; an empty chart still gets an axis.
      y: { range: (_u, _min, max) => uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true) },
    },
    axes: [
      axis,
      {
        ...axis,
        size: 64,
        values: (_u, splits) => splits.map((v) => props.current.format(v)),
      },
    ],
    series: [
      {
        label: "Time",
        value: (_u, ts) => (ts == null ? "–" : new Date(ts * 1000).toLocaleString()),
      },
      ...ordered.map((s, i): uPlot.Series => {
        const stroke = color(s.color);
        // The legend shows each series' own value, also when the drawing holds running totals.
        const value = (_u: uPlot, _v: number, _si: number, idx: number | null) => {
          const raw = idx === null ? null : (ordered[i]?.values[idx] ?? null);
          return raw === null ? "–" : props.current.format(raw);
        };
        return stacked
          ? {
              label: s.label,
              stroke,
              fill: stroke,
              width: 0,
              paths: bars,
              points: { show: false },
              value,
            }
          : {
              label: s.label,
              stroke,
              width: 2,
              ...(s.dash ? { dash: s.dash } : {}),
              ...(s.fill ? { fill: translucent(stroke) } : {}),
              // Points only where a value stands alone between gaps, which a line cannot show.
              points: { show: true, size: 5, fill: stroke, filter: isolated },
              value,
            };
      }),
    ],
  };
}

/** The x distance between buckets, in seconds (one minute when there is only one). */
function step(u: uPlot): number {
  const xs = u.data[0];
  return xs.length > 1 ? (xs[1] as number) - (xs[0] as number) : 60;
}

/** Indices of values with no neighbour on either side. */
function isolated(u: uPlot, seriesIdx: number): number[] {
  const ys = u.data[seriesIdx] ?? [];
  const out: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] != null && ys[i - 1] == null && ys[i + 1] == null) out.push(i);
  }
  return out;
}

/** `#rrggbb` at 15% opacity, for area fills. */
/** The area under a line: its colour at 15% opacity (colours come resolved, as `rgb(r, g, b)`). */
function translucent(color: string): string {
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  return rgb ? `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, 0.15)` : color;
}

/** Changes when the page switches between light and dark (system or the reader's choice). */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["data-theme"],
    });
    return () => {
      media.removeEventListener("change", bump);
      observer.disconnect();
    };
  }, []);
  return version;
}

/**
 * Reads theme colours for the canvas. The custom properties hold `light-dark(...)`, which only a
 * colour property resolves: a hidden probe inside the chart takes `color: var(name)` and reports
 * the colour the current scheme picks.
 */
function resolvedColor(el: HTMLElement) {
  const probe = document.createElement("span");
  probe.hidden = true;
  el.append(probe);
  const resolved = new Map<string, string>();
  const color = (name: string) => {
    const known = resolved.get(name);
    if (known) return known;
    probe.style.color = `var(${name}, #888888)`;
    const value = getComputedStyle(probe).color;
    resolved.set(name, value);
    return value;
  };
  // The probe goes once this chart's options are built; the values stay in the map.
  queueMicrotask(() => probe.remove());
  return color;
}
