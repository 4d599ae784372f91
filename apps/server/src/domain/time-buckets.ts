import { DomainError } from "../lib/errors.js";

/** Most buckets one chart request may ask for: enough for a week by the 7-minute, or a day by the minute. */
export const MAX_BUCKETS = 1_500;
export const MIN_BUCKET_SECONDS = 10;
export const MAX_BUCKET_SECONDS = 86_400;

export interface TimeRange {
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
}

/** Throws VALIDATION_FAILED naming `since` unless the range starts before it ends. */
export function checkRange({ since, until }: TimeRange): void {
  if (since.getTime() >= until.getTime()) {
    throw new DomainError("VALIDATION_FAILED", "`since` must be before `until`", {
      fields: [{ field: "since", detail: "must be before until" }],
    });
  }
}

/**
 * The starts of the buckets covering `[since, until)`, oldest first. Buckets are aligned to whole
 * multiples of `bucketSeconds` since the Unix epoch (what the repositories group by), so the first
 * may start a little before `since`. Throws VALIDATION_FAILED naming the field at fault for an empty
 * range, a bucket size outside 10 s..1 day, or more than MAX_BUCKETS buckets.
 */
export function bucketStarts(range: TimeRange, bucketSeconds: number): Date[] {
  checkRange(range);
  if (
    !Number.isInteger(bucketSeconds) ||
    bucketSeconds < MIN_BUCKET_SECONDS ||
    bucketSeconds > MAX_BUCKET_SECONDS
  ) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `\`bucketSeconds\` must be a whole number from ${MIN_BUCKET_SECONDS} to ${MAX_BUCKET_SECONDS}`,
      { fields: [{ field: "bucketSeconds", detail: "out of range" }] },
    );
  }
  const size = bucketSeconds * 1000;
  const first = Math.floor(range.since.getTime() / size) * size;
  const count = Math.ceil((range.until.getTime() - first) / size);
  if (count > MAX_BUCKETS) {
    throw new DomainError(
      "VALIDATION_FAILED",
      `The range holds ${count} buckets of ${bucketSeconds} s; at most ${MAX_BUCKETS} are allowed`,
      {
        fields: [
          {
            field: "bucketSeconds",
            detail: `too small for this range: at least ${minimumBucketSeconds(range)} s`,
          },
        ],
      },
    );
  }
  return Array.from({ length: count }, (_, i) => new Date(first + i * size));
}

/** The smallest whole bucket size that covers `range` in at most MAX_BUCKETS buckets. */
function minimumBucketSeconds({ since, until }: TimeRange): number {
  // One extra bucket of slack: alignment can start the first bucket before `since`.
  const seconds = Math.ceil((until.getTime() - since.getTime()) / 1000 / (MAX_BUCKETS - 1));
  return Math.max(MIN_BUCKET_SECONDS, seconds);
}
