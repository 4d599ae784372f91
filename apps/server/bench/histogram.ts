import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from "hdr-histogram-js";

export type { Histogram };

/**
 * Latencies are recorded in nanoseconds (what `process.hrtime.bigint()` gives) with 3 significant
 * digits: 0.1% resolution at every scale, so a 40 us loopback answer and a 40 ms stall are both
 * measured precisely. The pure-JS implementation, not WebAssembly: recording is a few array
 * writes either way, and the JS one needs no asynchronous initialisation.
 */
export function newHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120e9, // two minutes; larger values resize the histogram
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** What a measurement reports of its latency distribution, in microseconds. */
export interface LatencySummary {
  count: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
}

const us = (ns: number) => Math.round(ns / 100) / 10; // 0.1 us is below the histogram's precision

export function summarize(h: Histogram): LatencySummary {
  return {
    count: h.totalCount,
    p50Us: us(h.getValueAtPercentile(50)),
    p90Us: us(h.getValueAtPercentile(90)),
    p99Us: us(h.getValueAtPercentile(99)),
    maxUs: us(h.maxValue),
    meanUs: us(h.mean),
  };
}

/**
 * One histogram holding every value of `parts` (the rounds of one arm, pooled). HDR histograms
 * merge exactly: percentiles of the result are those of all the samples together, which averaging
 * per-round percentiles would not give.
 */
export function mergeHistograms(parts: readonly Histogram[]): Histogram {
  const merged = newHistogram();
  for (const part of parts) merged.add(part);
  return merged;
}

/** Compact, lossless text form, kept in the results file so any percentile can be computed later. */
export const encodeHistogram = (h: Histogram): string => encodeIntoCompressedBase64(h);
export const decodeHistogram = (text: string): Histogram =>
  decodeFromCompressedBase64(text, 32, false);
