import { addTo, type Figure, figureOf, pairedFigure } from "../round-stats.js";

/** One closed loop of one arm at one concurrency, in one round. */
export interface ThroughputSample {
  round: number;
  arm: string;
  concurrency: number;
  resultsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time the arm's own process (the gateway, the bare proxy; A1: the server) used per whole
   * answer during the loop, warm-up included; absent where /proc cannot be read.
   */
  cpuMsPerResult?: number;
}

/** The gateway's resident memory around one loop with `inFlight` requests kept in flight. */
export interface RssSample {
  round: number;
  inFlight: number;
  baselineBytes: number;
  peakBytes: number;
  /** See `PeakRss.method`. */
  method: "hwm" | "sampled";
}

export interface LargeResultResult {
  /** The size of every result, in bytes (characters of ASCII text). */
  bytes: number;
  /** What each arm is: A1 and A2's setups, in front of the large-result server. */
  arms: Record<string, string>;
  byArm: Record<
    string,
    {
      /** By concurrency (the key): results per second, the same in MiB/s, and the p50. */
      byConcurrency: Record<
        string,
        {
          resultsPerSecond: Figure;
          mibPerSecond: Figure;
          p50Ms: Figure;
          cpuMsPerResult: Figure | undefined;
          /** This arm's results per second over A1's, paired round by round (not for A1). */
          vsDirect: Figure | undefined;
        }
      >;
      /** The best results per second over the concurrencies, per round. */
      peakResultsPerSecond: Figure;
    }
  >;
  /** `A2/A1` throughput by concurrency, paired round by round. */
  ratioByConcurrency: Record<string, Figure>;
  /** A2's peak over A1's, paired round by round: the throughput target. */
  peakRatio: Figure | undefined;
  /** The gateway's peak RSS over its baseline, by requests in flight (the key). */
  rssByInFlight: Record<
    string,
    { baselineBytes: Figure; peakBytes: Figure; bytesPerRequest: Figure }
  >;
  /** Bytes per in-flight request at the most requests in flight measured: the memory target. */
  rssBytesPerRequest: Figure | undefined;
  samples: { throughput: ThroughputSample[]; rss: RssSample[] };
}

const MIB = 1024 * 1024;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The figures of the large-result workload from its samples: medians over rounds, and the ratios
 * paired per round (a round's neighbour noise hits both arms, measured back to back). The peak
 * of an arm in a round is its best concurrency in that round.
 */
export function largeResultFigures(input: {
  bytes: number;
  arms: Record<string, string>;
  throughput: ThroughputSample[];
  rss: RssSample[];
}): LargeResultResult {
  const { bytes, throughput, rss } = input;
  const byArm: LargeResultResult["byArm"] = {};
  for (const arm of new Set(throughput.map((s) => s.arm))) {
    const mine = throughput.filter((s) => s.arm === arm);
    const byConcurrency: LargeResultResult["byArm"][string]["byConcurrency"] = {};
    for (const concurrency of new Set(mine.map((s) => s.concurrency))) {
      const at = mine.filter((s) => s.concurrency === concurrency);
      const perSecond = at.map((s) => s.resultsPerSecond);
      byConcurrency[concurrency] = {
        resultsPerSecond: figureOf(perSecond),
        mibPerSecond: figureOf(perSecond.map((r) => Math.round((r * bytes * 10) / MIB) / 10)),
        p50Ms: figureOf(at.map((s) => s.p50Ms)),
        cpuMsPerResult: at.every((s) => s.cpuMsPerResult !== undefined)
          ? figureOf(at.map((s) => s.cpuMsPerResult as number))
          : undefined,
        vsDirect: undefined,
      };
    }
    byArm[arm] = { byConcurrency, peakResultsPerSecond: figureOf(peaks(mine)) };
  }

  const direct = byArm.A1;
  const gateway = byArm.A2;
  for (const [name, arm] of Object.entries(byArm)) {
    if (name === "A1") continue;
    for (const [concurrency, fig] of Object.entries(arm.byConcurrency)) {
      const base = direct?.byConcurrency[concurrency];
      if (base)
        fig.vsDirect = pairedFigure(
          fig.resultsPerSecond.rounds,
          base.resultsPerSecond.rounds,
          (g, d) => round3(g / d),
        );
    }
  }
  const ratioByConcurrency: Record<string, Figure> = {};
  for (const [concurrency, fig] of Object.entries(gateway?.byConcurrency ?? {}))
    if (fig.vsDirect) ratioByConcurrency[concurrency] = fig.vsDirect;
  const peakRatio =
    direct && gateway
      ? pairedFigure(
          gateway.peakResultsPerSecond.rounds,
          direct.peakResultsPerSecond.rounds,
          (g, d) => round3(g / d),
        )
      : undefined;

  const lists: Record<string, RssSample[]> = {};
  for (const s of rss) addTo(lists, String(s.inFlight), s);
  const rssByInFlight: LargeResultResult["rssByInFlight"] = {};
  for (const [inFlight, list] of Object.entries(lists))
    rssByInFlight[inFlight] = {
      baselineBytes: figureOf(list.map((s) => s.baselineBytes)),
      peakBytes: figureOf(list.map((s) => s.peakBytes)),
      bytesPerRequest: figureOf(
        list.map((s) => Math.round((s.peakBytes - s.baselineBytes) / s.inFlight)),
      ),
    };
  const most = Math.max(...rss.map((s) => s.inFlight));
  return {
    bytes,
    arms: input.arms,
    byArm,
    ratioByConcurrency,
    peakRatio,
    rssByInFlight,
    rssBytesPerRequest: rssByInFlight[most]?.bytesPerRequest,
    samples: { throughput, rss },
  };
}

/** Each round's best results per second, in round order. */
function peaks(samples: ThroughputSample[]): number[] {
  const best = new Map<number, number>();
  for (const s of samples) best.set(s.round, Math.max(best.get(s.round) ?? 0, s.resultsPerSecond));
  return [...best.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}
