/**
 * A figure as the suite reports it: the median of the rounds, their spread, and every round's
 * value in run order (so a trend across rounds, a machine warming up or a leak, stays visible).
 */
export interface Figure {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

/** The median of an odd count is the middle value; of an even count, the mean of the two middles. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function figureOf(rounds: readonly number[]): Figure {
  if (rounds.length === 0) throw new Error("a figure needs at least one round");
  return {
    median: median(rounds),
    min: Math.min(...rounds),
    max: Math.max(...rounds),
    rounds: [...rounds],
  };
}

/**
 * A figure derived from two arms measured in the same rounds (A2 - A1, A2 / A1): computed round by
 * round, then summarised. Pairing cancels what a round shares (a noisy neighbour, a GC of the
 * client), which subtracting two medians would not.
 */
export function pairedFigure(
  a: readonly number[],
  b: readonly number[],
  combine: (a: number, b: number) => number,
): Figure {
  if (a.length !== b.length) throw new Error(`unpaired rounds: ${a.length} and ${b.length}`);
  return figureOf(a.map((value, i) => combine(value, b[i] as number)));
}

/** `12.3 (11.9–13.0)`: the median with the range of the rounds, or just the value for one round. */
export function formatFigure(f: Figure, digits = 1): string {
  const n = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
  return f.rounds.length === 1 ? n(f.median) : `${n(f.median)} (${n(f.min)}–${n(f.max)})`;
}

/** Appends `value` to the list kept under `key` (one list of rounds per arm). */
export function addTo<T>(lists: Record<string, T[]>, key: string, value: T): void {
  const list = lists[key];
  if (list) list.push(value);
  else lists[key] = [value];
}
