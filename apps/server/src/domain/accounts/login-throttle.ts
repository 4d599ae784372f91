import { DomainError } from "../../lib/errors.js";
import type { RateLimiter } from "./ports.js";

export interface LoginLimits {
  windowSeconds: number;
  /** Failed logins one account may take per window before it is locked for the rest of it. */
  maxFailuresPerAccount: number;
  /** Login attempts (failed or not) one client address may make per window. */
  maxAttemptsPerIp: number;
  /** Accounts one client address may create per window (each costs a memory-hard hash). */
  maxRegistrationsPerIp: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowSeconds: 15 * 60,
  maxFailuresPerAccount: 10,
  maxAttemptsPerIp: 50,
  maxRegistrationsPerIp: 20,
};

/**
 * Guards registration against floods, and login against guessing: per account (so a distributed attack on one account is stopped)
 * and per client address (so one client cannot sweep many accounts).
 */
export function createLoginThrottle(limiter: RateLimiter, limits: LoginLimits) {
  const accountKey = (email: string) => `login:account:${email}`;
  const ipKey = (ip: string) => `login:ip:${ip}`;

  function limited(resetAt: Date, now: Date, what = "login attempts"): DomainError {
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
    return new DomainError("RATE_LIMITED", `Too many ${what}; try again later`, {
      retryAfterSeconds,
    });
  }

  return {
    /** Counts this attempt against the address and refuses it if either budget is spent. */
    async beforeAttempt(email: string, ip: string, now: Date): Promise<void> {
      const byIp = await limiter.hit(ipKey(ip), limits.windowSeconds, now);
      if (byIp.count > limits.maxAttemptsPerIp) throw limited(byIp.resetAt, now);
      const byAccount = await limiter.peek(accountKey(email), limits.windowSeconds, now);
      if (byAccount.count >= limits.maxFailuresPerAccount) throw limited(byAccount.resetAt, now);
    },
    async beforeRegistration(ip: string, now: Date): Promise<void> {
      const byIp = await limiter.hit(`register:ip:${ip}`, limits.windowSeconds, now);
      if (byIp.count > limits.maxRegistrationsPerIp)
        throw limited(byIp.resetAt, now, "registrations");
    },
    async recordFailure(email: string, now: Date): Promise<void> {
      await limiter.hit(accountKey(email), limits.windowSeconds, now);
    },
    async recordSuccess(email: string): Promise<void> {
      await limiter.reset(accountKey(email));
    },
  };
}
