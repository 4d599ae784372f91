import { describe, expect, it } from "vitest";
import { figureOf } from "../round-stats.js";
import type { EchoLatencyResult } from "../workloads/echo-latency.js";
import { checkTargets } from "./targets.js";

const latency = (gateway: number[], nginx: number[]) =>
  ({
    concurrency: 1,
    byArm: {},
    added: { "A2-A1": { p50Us: figureOf(gateway) }, "A3-A1": { p50Us: figureOf(nginx) } },
  }) as EchoLatencyResult;

describe("the targets of issue 6", () => {
  it("judges the median of the rounds against each limit", () => {
    const [added, , , overNginx] = checkTargets({
      echoLatency: latency([100, 200, 140], [50, 60, 70]),
    });
    expect(added).toMatchObject({ status: "PASS", figure: { median: 140 } });
    // Per round: 100/50, 200/60, 140/70 -> 2, 3.33, 2: the median is 2, just within.
    expect(overNginx).toMatchObject({ status: "PASS", figure: { median: 2 } });
  });

  it("fails the nginx comparison when nginx adds nothing measurable", () => {
    const overNginx = checkTargets({ echoLatency: latency([100], [-3]) })[3];
    expect(overNginx).toMatchObject({
      status: "FAIL",
      figure: { median: Number.POSITIVE_INFINITY },
    });
  });

  it("says what was not measured, and judges nothing in a smoke run", () => {
    const checks = checkTargets({ echoLatency: latency([900], [50]) }, { quick: true });
    expect(checks.map((c) => c.status)).toEqual([
      "not judged (--quick)",
      "not measured",
      "not measured",
      "not judged (--quick)",
      ...Array(7).fill("not measured"),
    ]);
  });

  it("judges the session workloads: KB per idle session, reclaimed share, retained heap", () => {
    const checks = checkTargets({
      idleSessions: {
        points: [],
        heapBytesPerSession: figureOf([60 * 1024]),
        rssBytesPerSession: 0,
        r2: 1,
      },
      abandonedSessions: {
        sessions: 10,
        idleSeconds: 10,
        reclaimed: 10,
        reclaimedPercent: figureOf([100]),
        seconds: 31,
      },
      invalidRequests: {
        requests: 100,
        before: [],
        after: [],
        retainedBytes: figureOf([-2048]),
        noiseBytes: 0,
      },
    });
    const by = (what: RegExp) => checks.find((c) => what.test(c.what));
    expect(by(/idle sessions/)).toMatchObject({ status: "FAIL", figure: { median: 60 } });
    expect(by(/abandoned/)).toMatchObject({ status: "PASS" });
    expect(by(/invalid requests/)).toMatchObject({ status: "PASS", figure: { median: -2 } });
  });
});
