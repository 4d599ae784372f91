import { describe, expect, it } from "vitest";
import { figureOf } from "../round-stats.js";
import type { DeployResult } from "../workloads/deploy.js";
import type { EchoLatencyResult } from "../workloads/echo-latency.js";
import type { LargeResultResult } from "../workloads/large-result-figures.js";
import type { SoakResult } from "../workloads/soak.js";
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
      ...Array(16).fill("not measured"),
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

  it("judges the soak: RSS growth in MB per hour, leaked sessions and children", () => {
    const growth = (mbPerHour: number) => ({
      bytesPerHour: mbPerHour * 2 ** 20,
      stdErrBytesPerHour: 0,
      r2: 1,
      points: 10,
      fromSeconds: 360,
      toSeconds: 1800,
    });
    const soak = (rssMbPerHour: number, leakedSessions: number, leakedChildren: number) =>
      checkTargets({
        soak: {
          rss: {
            startBytes: 0,
            endBytes: 0,
            growth: growth(rssMbPerHour),
            beforeGcGrowth: undefined,
          },
          leakedSessions,
          leakedChildren,
        } as SoakResult,
      }).filter((c) => c.what.startsWith("soak"));
    expect(soak(0.4, 0, 0).map((c) => c.status)).toEqual(["PASS", "PASS", "PASS"]);
    expect(soak(2.5, 1, 2)).toMatchObject([
      { status: "FAIL", figure: { median: 2.5 }, unit: "MB/h" },
      { status: "FAIL", figure: { median: 1 } },
      { status: "FAIL", figure: { median: 2 } },
    ]);
  });

  it("judges 1 MiB results: the gateway's share of direct throughput, and MiB per request", () => {
    const largeResult = {
      peakRatio: figureOf([0.9, 0.8, 0.88]),
      rssBytesPerRequest: figureOf([2.5 * 2 ** 20]),
    } as LargeResultResult;
    const checks = checkTargets({ largeResult }).filter((c) => c.what.startsWith("1 MiB"));
    expect(checks).toMatchObject([
      { status: "PASS", figure: { median: 0.88 } },
      { status: "FAIL", figure: { median: 2.5 }, unit: "MiB" },
    ]);
  });

  it("judges deploy → first tools/list against the bare spawn and plain docker run", () => {
    const deploy = {
      byRuntime: {
        process: {
          addedMs: { "bare spawn": figureOf([40, 60, 45]), "bwrap spawn": figureOf([1]) },
        },
        docker: { addedMs: { "docker run": figureOf([150]) } },
      },
      skipped: {},
    } as unknown as DeployResult;
    const checks = checkTargets({ deploy }).filter((c) => c.what.startsWith("deploy"));
    expect(checks).toMatchObject([
      { status: "PASS", figure: { median: 45 }, unit: "ms", goal: "≤ 50 ms" },
      { status: "FAIL", figure: { median: 150 }, goal: "≤ 100 ms" },
    ]);
  });
});
