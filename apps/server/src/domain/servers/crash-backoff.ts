/**
 * How a crashed server is restarted: after about 1 s, doubling each time up to 5 minutes; a server
 * that then runs 10 minutes is healthy again and its streak is forgotten. From the 5th restart of a
 * streak (they come within 31 s), its status is `crashloop`: after each restart until one succeeds,
 * and on every crash until the streak ends.
 */
export const CRASH_POLICY = {
  initialDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  healthyAfterMs: 10 * 60_000,
  crashloopRestarts: 5,
} as const;

export interface CrashStreak {
  /** Restarts in the current streak. */
  restartCount: number;
  /** When the streak's first restart happened. */
  restartWindowStart: Date | null;
  /** When the instance that just exited became ready (null if it never did). */
  runningSince: Date | null;
}

export interface RestartPlan {
  delayMs: number;
  restartAt: Date;
  streak: Pick<CrashStreak, "restartCount" | "restartWindowStart">;
  crashloop: boolean;
}

export function planRestart(streak: CrashStreak, now: Date, policy = CRASH_POLICY): RestartPlan {
  const ranLongEnough =
    streak.runningSince !== null &&
    now.getTime() - streak.runningSince.getTime() >= policy.healthyAfterMs;
  const fresh = ranLongEnough || streak.restartCount === 0;
  const restartCount = fresh ? 1 : streak.restartCount + 1;
  const restartWindowStart = fresh || !streak.restartWindowStart ? now : streak.restartWindowStart;
  const delayMs = Math.min(policy.initialDelayMs * 2 ** (restartCount - 1), policy.maxDelayMs);
  return {
    delayMs,
    restartAt: new Date(now.getTime() + delayMs),
    streak: { restartCount, restartWindowStart },
    // The first five delays add up to 31 s, so the 5th restart of a streak always falls within
    // 10 minutes of its first; the streak (and crashloop) ends only with a healthy run.
    crashloop: restartCount >= policy.crashloopRestarts,
  };
}
