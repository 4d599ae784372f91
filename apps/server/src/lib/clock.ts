/** Time as a dependency, so rules about expiry and windows can be tested without sleeping. */
export interface Clock {
  now(): Date;
  /**
   * For clocks that jump (tests): called after each jump, so sleepers can re-check their deadline.
   * The system clock never calls it; timers cover it.
   */
  onJump?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. For tests of backoff, expiry and scheduling. */
export class ManualClock implements Clock {
  private listeners = new Set<() => void>();
  constructor(private current: Date = new Date()) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
    for (const listener of this.listeners) listener();
  }

  onJump(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
