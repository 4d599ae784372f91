import { LARGE_TEXT_END } from "../arms/large-text.js";
import { summarize } from "../histogram.js";
import {
  type CallSession,
  closedLoop,
  type EchoOutcome,
  MAX_IN_FLIGHT,
  RequestError,
} from "../latency-client.js";
import { firstText, requestBody } from "../mcp-wire.js";
import { processCpuMs } from "../process-cpu.js";
import {
  type LargeResultResult,
  largeResultFigures,
  type RssSample,
  type ThroughputSample,
} from "./large-result-figures.js";
import { assertHealthy, BrokenMeasurement, type MeasuredArm } from "./measured-arm.js";
import { peakRssDuring } from "./peak-rss.js";

/** How the large-result workload runs (`settings.ts`). */
export interface LargeResultSettings {
  rounds: number;
  /** Size of each result, in bytes. */
  bytes: number;
  /** Closed loops at each of these concurrencies, on each arm, every round. */
  concurrencies: number[];
  durationMs: number;
  warmupMs: number;
  /**
   * The gateway's RSS is read around a closed loop at each of these concurrencies, every round,
   * each after a full GC and `settleMs` of quiet.
   */
  rss: { inFlight: number[]; durationMs: number; settleMs: number };
}

/** `tools/call large_result` for every request slot (ids slot + 1), built once like the echo calls. */
export const largeResultBodies = (bytes: number): Buffer[] =>
  Array.from({ length: MAX_IN_FLIGHT }, (_, slot) =>
    requestBody(slot + 1, "tools/call", { name: "large_result", arguments: { bytes } }),
  );

/**
 * A session whose every answer must carry the whole text: `bytes` characters (the text is ASCII,
 * so as many bytes), ending with the server's end marker. The check is a length and a 21-character
 * comparison, cheap next to reading a MiB; an answer that fails it counts as a mismatch and fails
 * the run, as the figures would be of answers that are not the workload's.
 */
export class SizeCheckedSession implements CallSession {
  mismatches = 0;
  firstMismatch: string | undefined;
  /** Whole answers so far, warm-up included (what the arm's CPU time is divided by). */
  answered = 0;

  constructor(
    private readonly inner: CallSession,
    private readonly bytes: number,
  ) {}

  async echo(slot: number): Promise<EchoOutcome> {
    const outcome = await this.inner.echo(slot);
    const text = firstText(outcome.response);
    if (text?.length !== this.bytes || !text.endsWith(LARGE_TEXT_END.slice(-this.bytes))) {
      this.mismatches++;
      const what = text === undefined ? "no text" : `${text.length} characters`;
      this.firstMismatch ??= `expected ${this.bytes} characters, got ${what}`;
      throw new RequestError(`large_result answered ${what}`);
    }
    this.answered++;
    return outcome;
  }

  listTools() {
    return this.inner.listTools();
  }

  close() {
    return this.inner.close();
  }
}

async function measure(
  arm: MeasuredArm,
  bytes: number,
  loop: { concurrency: number; durationMs: number; warmupMs: number },
) {
  const session = new SizeCheckedSession(await arm.client.openSession(), bytes);
  try {
    const cpuBefore = processCpuMs(arm.pid);
    const result = await closedLoop(session, loop);
    const cpuAfter = processCpuMs(arm.pid);
    if (session.mismatches > 0)
      throw new BrokenMeasurement(
        `${arm.name} large results: ${session.mismatches} answers were not whole (first: ${session.firstMismatch})`,
      );
    assertHealthy(arm.name, `large results at concurrency ${loop.concurrency}`, result);
    const cpuMsPerResult =
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : (cpuAfter - cpuBefore) / session.answered;
    return { ...result, cpuMsPerResult };
  } finally {
    await session.close();
  }
}

/**
 * The large-result workload (issue 6: "1 MB result"). A tool returns `bytes` of text per call;
 * direct (A1's setup) and through the gateway (A2's) are measured in turn, round by round.
 *
 * Throughput: closed loops at each concurrency, arms back to back at each, every answer checked
 * whole. Reported in results and MiB per second; the target is A2/A1 of each arm's best
 * concurrency, paired per round.
 *
 * Memory: the gateway's peak RSS per request in flight. Before each reading the gateway collects
 * garbage (its gc hook) and settles, so the baseline is what it keeps, not what an earlier loop
 * left; then a closed loop keeps `inFlight` requests in flight for `rss.durationMs` while its
 * peak RSS is read (`peak-rss.ts`: the kernel's VmHWM reset at the baseline, VmRSS sampled every
 * 20 ms as well). (peak - baseline) / inFlight is what each request in flight costs, the heap's
 * growth to hold them included; the most in flight is judged, as fixed costs (a larger young
 * generation) spread thinnest there. RSS is measured before throughput in each round, so the
 * throughput loops at high concurrency do not leave the allocator primed for the reading.
 */
export async function largeResult(
  arms: MeasuredArm[],
  options: LargeResultSettings & {
    /** The gateway arm's process, whose memory is read. */
    gatewayPid: number | undefined;
    /** Collects garbage in the gateway and waits for it to settle. */
    collectGarbage: () => Promise<unknown>;
    log: (line: string) => void;
  },
): Promise<LargeResultResult> {
  const { bytes, log } = options;
  const gateway = arms.find((a) => a.name === "A2");
  const throughput: ThroughputSample[] = [];
  const rss: RssSample[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    if (gateway && options.gatewayPid !== undefined) {
      for (const inFlight of options.rss.inFlight) {
        await options.collectGarbage();
        const pid = options.gatewayPid;
        const peak = await peakRssDuring(pid, () =>
          measure(gateway, bytes, {
            concurrency: inFlight,
            durationMs: options.rss.durationMs,
            warmupMs: 0,
          }),
        );
        const { baselineBytes, peakBytes, method } = peak;
        rss.push({ round, inFlight, baselineBytes, peakBytes, method });
        const mib = (b: number) => (b / 2 ** 20).toFixed(1);
        log(
          `  round ${round} gateway RSS, ${inFlight} in flight: ${mib(baselineBytes)} -> ${mib(peakBytes)} MiB ` +
            `(${mib((peakBytes - baselineBytes) / inFlight)} MiB a request, ${method})`,
        );
      }
    }
    for (const concurrency of options.concurrencies) {
      for (const arm of arms) {
        const result = await measure(arm, bytes, { ...options, concurrency });
        const latency = summarize(result.histogram);
        const resultsPerSecond = Math.round(result.requestsPerSecond * 10) / 10;
        throughput.push({
          round,
          arm: arm.name,
          concurrency,
          resultsPerSecond,
          p50Ms: Math.round(latency.p50Us / 10) / 100,
          p99Ms: Math.round(latency.p99Us / 10) / 100,
          ...(result.cpuMsPerResult === undefined
            ? {}
            : { cpuMsPerResult: Math.round(result.cpuMsPerResult * 100) / 100 }),
        });
        log(
          `  round ${round} ${arm.name} at concurrency ${concurrency}: ${resultsPerSecond} results/s ` +
            `(${((resultsPerSecond * bytes) / 2 ** 20).toFixed(1)} MiB/s), p50 ${latency.p50Us} us` +
            (result.cpuMsPerResult === undefined
              ? ""
              : `, ${result.cpuMsPerResult.toFixed(2)} ms CPU a result in the arm's process`),
        );
      }
    }
  }
  const labels = Object.fromEntries(arms.map((a) => [a.name, a.label]));
  return largeResultFigures({ bytes, arms: labels, throughput, rss });
}
