import { describe, expect, it } from "vitest";
import { CRASH_POLICY, type CrashStreak, planRestart } from "./crash-backoff.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Crashes `n` times in a row, each right after the previous restart. */
function crashRepeatedly(n: number, startMs = 0) {
  let streak: CrashStreak = { restartCount: 0, restartWindowStart: null, runningSince: null };
  let now = startMs;
  const plans = [];
  for (let i = 0; i < n; i++) {
    const plan = planRestart(streak, at(now));
    plans.push(plan);
    now += plan.delayMs;
    streak = { ...plan.streak, runningSince: null };
  }
  return plans;
}

describe("planRestart", () => {
  it("doubles the delay from 1 s and caps it at 5 minutes", () => {
    const delays = crashRepeatedly(12).map((p) => p.delayMs);
    expect(delays.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
    expect(Math.max(...delays)).toBe(CRASH_POLICY.maxDelayMs);
  });

  it("enters crashloop at the 5th restart and stays there while the streak lasts", () => {
    const plans = crashRepeatedly(15);
    expect(plans.map((p) => p.crashloop)).toEqual([
      false,
      false,
      false,
      false,
      ...Array(11).fill(true),
    ]);
  });

  it("forgets the streak after 10 healthy minutes", () => {
    const [first, second] = crashRepeatedly(2);
    const afterHealthyRun = planRestart(
      { ...(second as NonNullable<typeof second>).streak, runningSince: at(0) },
      at(CRASH_POLICY.healthyAfterMs + 1),
    );
    expect(afterHealthyRun.delayMs).toBe(first?.delayMs);
    expect(afterHealthyRun.streak.restartCount).toBe(1);
    expect(afterHealthyRun.crashloop).toBe(false);
  });

  it("keeps growing the delay after a short run, without calling it healthy", () => {
    const plans = crashRepeatedly(3);
    const shortRun = planRestart(
      { ...(plans[2] as (typeof plans)[number]).streak, runningSince: at(60_000) },
      at(120_000),
    );
    expect(shortRun.delayMs).toBe(8000);
  });
});
