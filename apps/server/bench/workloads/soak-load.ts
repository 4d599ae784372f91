import { type Histogram, mergeHistograms, summarize } from "../histogram.js";
import { type CallSession, type LatencyClient, openLoop } from "../latency-client.js";
import { ECHO_TEXT, firstText } from "../mcp-wire.js";
import { BrokenMeasurement } from "./measured-arm.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The steady echo load so far. */
export interface SteadyTally {
  /** Calls answered, counted as each window of the open loop ends. */
  calls: number;
  errors: number;
  firstError?: string | undefined;
  /** Calls the open loop did not send because every client slot was waiting (overload). */
  dropped: number;
  histograms: Histogram[];
}

/**
 * An open loop of echo calls at `rate` on one session until `endAt`, in windows of `windowMs`
 * (each tallied as it ends, so the readings taken meanwhile can show the calls made so far).
 */
export function steadyLoad(session: CallSession, rate: number, endAt: number, windowMs: number) {
  const tally: SteadyTally = { calls: 0, errors: 0, dropped: 0, histograms: [] };
  const done = (async () => {
    while (Date.now() < endAt) {
      const result = await openLoop(session, {
        rate,
        durationMs: Math.min(windowMs, endAt - Date.now()),
        warmupMs: 0,
      });
      tally.calls += result.requests;
      tally.errors += result.errors;
      tally.dropped += result.dropped;
      tally.firstError ??= result.firstError;
      tally.histograms.push(result.histogram);
    }
  })();
  return { tally, done };
}

/** p50 and p99 of every call of the steady load, in microseconds. */
export function steadyLatency(tally: SteadyTally): { p50Us: number; p99Us: number } {
  const { p50Us, p99Us } = summarize(mergeHistograms(tally.histograms));
  return { p50Us, p99Us };
}

/** Sessions of one server that came and went during the soak. */
export interface ChurnTally {
  opened: number;
  /** Ended with DELETE. */
  closed: number;
  /** Left without DELETE after their calls, for the idle reaper to end. */
  abandoned: number;
  calls: number;
  errors: number;
  firstError?: string | undefined;
}

/**
 * Sessions that come and go, `perSecond` of them, one after the other until `endAt`: initialize,
 * tools/list, three echo calls, then DELETE, except one in `abandonEvery` (the first, then every
 * so many after it), which is simply left, as a client that crashed leaves it.
 */
export function churnLoop(
  client: LatencyClient,
  perSecond: number,
  abandonEvery: number,
  endAt: number,
) {
  const tally: ChurnTally = { opened: 0, closed: 0, abandoned: 0, calls: 0, errors: 0 };
  const cycle = async (n: number) => {
    let session: CallSession | undefined;
    try {
      session = await client.openSession();
      tally.opened++;
      await session.listTools();
      for (let slot = 0; slot < 3; slot++) {
        const { response } = await session.echo(slot);
        if (firstText(response) !== ECHO_TEXT) throw new Error("echo answered something else");
        tally.calls++;
      }
    } catch (err) {
      tally.errors++;
      tally.firstError ??= (err as Error).message;
    }
    if (!session) return;
    if (n % abandonEvery === 0) tally.abandoned++;
    else {
      await session.close();
      tally.closed++;
    }
  };
  const done = (async () => {
    for (let n = 0; Date.now() < endAt; n++) {
      const started = Date.now();
      await cycle(n);
      await sleep(Math.min(started + 1000 / perSecond, endAt) - Date.now());
    }
  })();
  return { tally, done };
}

/**
 * As `assertHealthy` for the other workloads: past 1% of failed calls and sessions the gateway is
 * broken, not leaking, and the run fails (the readings logged so far show when it started).
 */
export function assertSoakHealthy(steady: SteadyTally, ...churns: ChurnTally[]): void {
  const failed = steady.errors + churns.reduce((sum, c) => sum + c.errors, 0);
  const done = steady.calls + churns.reduce((sum, c) => sum + c.opened, 0);
  if (steady.calls === 0 || failed / (done + failed) > 0.01) {
    const first = [steady, ...churns].find((c) => c.firstError)?.firstError;
    throw new BrokenMeasurement(
      `soak: ${steady.calls} calls, ${done - steady.calls} sessions, ${failed} failures` +
        (first ? ` (first: ${first})` : ""),
    );
  }
}
