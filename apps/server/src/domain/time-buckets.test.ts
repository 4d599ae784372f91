import { describe, expect, it } from "vitest";
import { DomainError } from "../lib/errors.js";
import { bucketStarts, MAX_BUCKETS } from "./time-buckets.js";

const at = (iso: string) => new Date(iso);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.extra.fields?.[0]?.field;
    throw err;
  }
  return undefined;
}

describe("chart buckets", () => {
  it("cover the range with buckets aligned to whole multiples of their size", () => {
    const starts = bucketStarts(
      { since: at("2026-01-01T10:00:30Z"), until: at("2026-01-01T10:03:00Z") },
      60,
    );
    expect(starts.map((d) => d.toISOString())).toEqual([
      "2026-01-01T10:00:00.000Z",
      "2026-01-01T10:01:00.000Z",
      "2026-01-01T10:02:00.000Z",
    ]);
  });

  it("include the bucket holding a range end that falls inside it", () => {
    const starts = bucketStarts(
      { since: at("2026-01-01T10:00:00Z"), until: at("2026-01-01T10:00:10.001Z") },
      10,
    );
    expect(starts).toHaveLength(2);
  });

  it("refuse an empty range, odd sizes and too many buckets, naming the field", () => {
    const since = at("2026-01-01T00:00:00Z");
    expect(fieldOf(() => bucketStarts({ since, until: since }, 60))).toBe("since");
    expect(fieldOf(() => bucketStarts({ since, until: at("2026-01-02T00:00:00Z") }, 5))).toBe(
      "bucketSeconds",
    );
    expect(fieldOf(() => bucketStarts({ since, until: at("2026-01-02T00:00:00Z") }, 10))).toBe(
      "bucketSeconds",
    );
    // A week by the 7-minute fits; the largest range of MAX_BUCKETS buckets too.
    expect(bucketStarts({ since, until: at("2026-01-08T00:00:00Z") }, 420)).toHaveLength(1440);
    expect(
      bucketStarts({ since, until: new Date(since.getTime() + MAX_BUCKETS * 60_000) }, 60),
    ).toHaveLength(MAX_BUCKETS);
  });
});
