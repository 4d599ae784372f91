import { describe, expect, it } from "vitest";
import { newId, randomBase32 } from "./ids.js";

describe("ids", () => {
  it("are prefixed, 20 base32 characters, and distinct across many pool refills", () => {
    const seen = new Set<string>();
    // 10,000 ids of 20 bytes each draw the 4 KiB pool dozens of times over.
    for (let i = 0; i < 10_000; i++) seen.add(newId("request"));
    expect(seen.size).toBe(10_000);
    for (const id of seen) expect(id).toMatch(/^req_[0-9a-hjkmnp-tv-z]{20}$/);
  });

  it("spreads characters evenly over the alphabet (each of 32 within 20% of its share)", () => {
    const counts = new Map<string, number>();
    const text = Array.from({ length: 2000 }, () => randomBase32(32)).join("");
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const share = text.length / 32;
    for (const n of counts.values()) expect(Math.abs(n - share) / share).toBeLessThan(0.2);
  });

  it("refuses a length larger than its pool rather than repeating bytes", () => {
    expect(() => randomBase32(5000)).toThrow(RangeError);
  });
});
