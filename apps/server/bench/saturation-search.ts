/** Throughput measured at one concurrency of a closed loop. */
export interface SaturationStep {
  concurrency: number;
  requestsPerSecond: number;
}

export interface SaturationResult {
  /** The highest throughput seen: what the arm sustains when clients wait for nothing else. */
  requestsPerSecond: number;
  /** The concurrency that reached it. */
  concurrency: number;
  steps: SaturationStep[];
}

export interface SaturationOptions {
  /** Concurrencies to try, rising. */
  levels: readonly number[];
  /** A step counts as growth when it beats the best so far by this fraction (0.05 = 5%). */
  minGain: number;
  /** Stop after this many steps in a row without growth. */
  patience: number;
}

export const DEFAULT_SATURATION: SaturationOptions = {
  levels: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  minGain: 0.05,
  patience: 2,
};

/**
 * Raises the concurrency of a closed loop until requests per second stop growing. Past
 * saturation more concurrency only adds queueing, so one or two flat steps end the search; the
 * patience of more than one step keeps a single noisy step from ending it early.
 */
export async function searchSaturation(
  measureAt: (concurrency: number) => Promise<number>,
  options: SaturationOptions = DEFAULT_SATURATION,
): Promise<SaturationResult> {
  if (options.levels.length === 0) throw new Error("no concurrency levels to try");
  const steps: SaturationStep[] = [];
  let best: SaturationStep | undefined;
  let flat = 0;
  for (const concurrency of options.levels) {
    const step = { concurrency, requestsPerSecond: await measureAt(concurrency) };
    steps.push(step);
    if (!best || step.requestsPerSecond > best.requestsPerSecond * (1 + options.minGain)) {
      best = step;
      flat = 0;
      continue;
    }
    // Flat but slightly higher still counts as the best figure, just not as growth.
    if (step.requestsPerSecond > best.requestsPerSecond) best = step;
    if (++flat >= options.patience) break;
  }
  const top = best as SaturationStep;
  return { requestsPerSecond: top.requestsPerSecond, concurrency: top.concurrency, steps };
}
