import { describe, expect, it } from "vitest";
import { figureOf } from "../round-stats.js";
import type { DeployResult } from "../workloads/deploy.js";
import { deployLines } from "./deploy-markdown.js";

describe("the deploy tables", () => {
  it("compares each baseline and walks through the median round's steps", () => {
    const deploy: DeployResult = {
      byRuntime: {
        process: {
          gatewayMs: figureOf([1500, 1300, 1400]),
          baselineMs: { "bare spawn": figureOf([200, 210, 190]) },
          addedMs: { "bare spawn": figureOf([1300, 1090, 1210]) },
          milestones: {},
          timelines: [
            { starting: 90, running: 1100, "tools/list answered": 1500 },
            { starting: 50, running: 1050, "tools/list answered": 1300 },
            { running: 1080, starting: 60, "tools/list answered": 1400 },
          ],
          notes: ["started (sandboxed)"],
        },
      },
      skipped: { docker: "Docker engine not reachable" },
    };
    const text = deployLines(deploy).join("\n");
    expect(text).toContain(
      "| process | 1400 (1300–1500) | bare spawn (`node <entry>`) | 200 (190–210) | 1210 (1090–1300) |",
    );
    expect(text).toContain("The docker runtime was skipped: Docker engine not reachable.");
    // The third round is the median one (1400 ms).
    expect(text).toContain(
      [
        "| starting | 60 | +60 |",
        "| running | 1080 | +1020 |",
        "| tools/list answered | 1400 | +320 |",
      ].join("\n"),
    );
  });
});
