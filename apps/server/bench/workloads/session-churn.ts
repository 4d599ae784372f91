import { type CallSession, closedLoop, type SessionClient } from "../latency-client.js";
import { ECHO_TEXT, firstText } from "../mcp-wire.js";
import { processCpuMs } from "../process-cpu.js";
import { addTo, type Figure, figureOf, pairedFigure } from "../round-stats.js";
import { assertHealthy, type MeasuredArm } from "./measured-arm.js";

export interface SessionChurnResult {
  concurrency: number;
  /**
   * Whole sessions (initialize, tools/list, tools/call, DELETE) per second, by arm, and the CPU
   * time per session of the arm's own process (the gateway; A1's and A4's: the server's) when
   * /proc can be read.
   */
  byArm: Record<string, { sessionsPerSecond: Figure; p50Ms: Figure; cpuMsPerSession?: Figure }>;
  /** `A2/A1`, `A5/A4`: sessions per second through the gateway as a share of direct. */
  ratios: Record<string, Figure>;
}

/**
 * One whole session as a "call", so the shared closed loop times and counts sessions exactly as
 * it does echo calls: open (initialize + initialized), `tools/list`, `tools/call echo`, close
 * (DELETE over HTTP; over stdio the server process ends).
 */
function sessionCycles(client: SessionClient): CallSession {
  const hrtime = process.hrtime.bigint;
  return {
    async echo(slot) {
      const started = hrtime();
      const session = await client.openSession();
      try {
        await session.listTools();
        const { response } = await session.echo(slot);
        if (firstText(response) !== ECHO_TEXT) throw new Error("echo answered something else");
        return { ns: hrtime() - started, response };
      } finally {
        await session.close();
      }
    },
    listTools: () => Promise.reject(new Error("not a session")),
    close: async () => {},
  };
}

const PAIRS = [
  ["A2", "A1"],
  ["A5", "A4"],
] as const;

/**
 * Session churn: clients that connect, list, call once and leave, `concurrency` at a time. What
 * it costs to set up and tear down a session, gateway (A2, A5) against direct (A1, A4).
 */
export async function sessionChurn(
  arms: MeasuredArm[],
  options: {
    rounds: number;
    durationMs: number;
    concurrency: number;
    log: (line: string) => void;
  },
): Promise<SessionChurnResult> {
  const wanted = new Set<string>(PAIRS.flat());
  const chosen = arms.filter((a) => wanted.has(a.name));
  const rates: Record<string, number[]> = {};
  const p50s: Record<string, number[]> = {};
  const cpus: Record<string, number[]> = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const arm of chosen) {
      const cpuBefore = processCpuMs(arm.pid);
      const result = await closedLoop(sessionCycles(arm.client), {
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: 0,
      });
      const cpuAfter = processCpuMs(arm.pid);
      assertHealthy(arm.name, "session churn", result);
      const rate = Math.round(result.requestsPerSecond * 10) / 10;
      const p50 = Math.round(result.histogram.getValueAtPercentile(50) / 1e4) / 100;
      addTo(rates, arm.name, rate);
      addTo(p50s, arm.name, p50);
      let cpu = "";
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        // With no warm-up, every session the loop ran is counted (the failed ones too).
        const perSession = (cpuAfter - cpuBefore) / (result.requests + result.errors);
        addTo(cpus, arm.name, Math.round(perSession * 100) / 100);
        cpu = `, ${perSession.toFixed(2)} ms CPU a session in the arm's process`;
      }
      options.log(
        `  round ${round} ${arm.name}: ${rate} sessions/s, p50 ${p50} ms per session${cpu}`,
      );
    }
  }
  const byArm = Object.fromEntries(
    Object.entries(rates).map(([name, list]) => [
      name,
      {
        sessionsPerSecond: figureOf(list),
        p50Ms: figureOf(p50s[name] ?? []),
        ...(cpus[name]?.length === list.length ? { cpuMsPerSession: figureOf(cpus[name]) } : {}),
      },
    ]),
  );
  const ratios: Record<string, Figure> = {};
  for (const [over, base] of PAIRS) {
    const a = rates[over];
    const b = rates[base];
    if (a && b)
      ratios[`${over}/${base}`] = pairedFigure(a, b, (x, y) => Math.round((x / y) * 1000) / 1000);
  }
  return { concurrency: options.concurrency, byArm, ratios };
}
