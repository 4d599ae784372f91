import type { ServerStatus } from "@mcphost/api-client";
import { describe, expect, it } from "vitest";
import { type DeployServer, deploySteps, type StatusChange, type SystemLine } from "./deploy-steps";

const npmServer: DeployServer = {
  source: { type: "npm", package: "@modelcontextprotocol/server-everything" },
  runtime: "process",
  status: "created",
  statusReason: null,
  desiredState: "running",
  resolvedVersion: null,
};

/** Status changes ten seconds apart, from `created` through the statuses given. */
function history(...path: (ServerStatus | [ServerStatus, string])[]): StatusChange[] {
  let from: ServerStatus = "created";
  return path.map((step, i) => {
    const [to, reason] = Array.isArray(step) ? step : [step, null];
    const change = { id: i + 1, time: at(i * 10), from, to, reason };
    from = to;
    return change;
  });
}

/** A system line `seconds` after the first change. */
const line = (id: number, seconds: number, text: string): SystemLine => ({
  id,
  time: at(seconds),
  line: text,
});

function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();
}

const summary = (progress: ReturnType<typeof deploySteps>) =>
  progress?.steps.map((s) => `${s.id}:${s.state}`);

describe("the deploy steps of a server", () => {
  it("shows a fresh npm deploy queued, then installing with npm's latest line", () => {
    expect(summary(deploySteps(npmServer, [], []))).toEqual([
      "queued:active",
      "install:pending",
      "start:pending",
      "run:pending",
    ]);

    const installing = deploySteps({ ...npmServer, status: "installing" }, history("installing"), [
      line(1, 1, "installing @modelcontextprotocol/server-everything@latest with npm"),
      line(2, 3, "npm http fetch GET 200 https://registry.npmjs.org/..."),
    ]);
    expect(installing?.kind).toBe("deploy");
    expect(installing?.outcome).toBe("in-progress");
    expect(summary(installing)).toEqual([
      "queued:done",
      "install:active",
      "start:pending",
      "run:pending",
    ]);
    expect(installing?.steps[1]?.detail).toBe(
      "npm http fetch GET 200 https://registry.npmjs.org/...",
    );
  });

  it("marks every step done once the deploy runs, each step before running with its last line", () => {
    const progress = deploySteps(
      { ...npmServer, status: "running", resolvedVersion: "2026.8.31" },
      history("installing", "starting", "running"),
      [
        line(1, 2, "installed @modelcontextprotocol/server-everything@2026.8.31 in 4.2 s"),
        line(2, 11, "starting instance ins_1 on the process runtime"),
        line(3, 21, "running"),
      ],
    );
    expect(progress?.outcome).toBe("running");
    expect(summary(progress)).toEqual(["queued:done", "install:done", "start:done", "run:done"]);
    expect(progress?.steps.map((s) => s.detail)).toEqual([
      undefined,
      "installed @modelcontextprotocol/server-everything@2026.8.31 in 4.2 s",
      "starting instance ins_1 on the process runtime",
      undefined,
    ]);
  });

  it("marks the install failed with its reason and npm's first error lines", () => {
    const reason = "npm install failed (exit code 1); see the log above";
    const progress = deploySteps(
      { ...npmServer, status: "error", statusReason: reason },
      history("installing", ["error", reason]),
      [
        line(1, 1, "installing nope@latest with npm"),
        line(2, 2, "npm http fetch GET 404 https://registry.npmjs.org/nope 110ms"),
        line(3, 3, "npm error code E404"),
        line(4, 3, "npm error 404 Not Found - GET https://registry.npmjs.org/nope"),
        line(5, 3, "npm error A complete log of this run can be found in: /root/.npm/_logs/x.log"),
        line(6, 9, `failed: ${reason}`),
      ],
    );
    expect(progress?.outcome).toBe("failed");
    expect(summary(progress)).toEqual([
      "queued:done",
      "install:failed",
      "start:pending",
      "run:pending",
    ]);
    expect(progress?.steps[1]).toMatchObject({
      reason,
      detail: "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope",
    });
  });

  it("shows a restart of a running server as starting again, without an install", () => {
    const server = { ...npmServer, status: "starting" as const, resolvedVersion: "2026.8.31" };
    const before = history("installing", "starting", "running");
    const restart: StatusChange = {
      id: 4,
      time: at(40),
      from: "running",
      to: "starting",
      reason: null,
    };

    const starting = deploySteps(
      server,
      [...before, restart],
      [line(9, 41, "starting instance ins_2 on the process runtime")],
    );
    expect(starting?.kind).toBe("restart");
    expect(summary(starting)).toEqual(["queued:done", "start:active", "run:pending"]);
    expect(starting?.steps[1]?.detail).toBe("starting instance ins_2 on the process runtime");

    const running = deploySteps(
      { ...server, status: "running" },
      [...before, restart, { id: 5, time: at(50), from: "starting", to: "running", reason: null }],
      [],
    );
    expect(running?.outcome).toBe("running");
    expect(summary(running)).toEqual(["queued:done", "start:done", "run:done"]);
  });

  it("shows a crash loop as a failed start with the crash, and a stopped attempt as stopped", () => {
    const crashed = deploySteps(
      { ...npmServer, status: "crashloop" },
      history("installing", "starting", ["crashloop", "exited with code 1; restart 5 in 30 s"]),
      [],
    );
    expect(summary(crashed)).toEqual([
      "queued:done",
      "install:done",
      "start:failed",
      "run:pending",
    ]);
    expect(crashed?.steps[2]?.reason).toBe("exited with code 1; restart 5 in 30 s");

    const stopped = deploySteps(
      { ...npmServer, status: "stopped", desiredState: "stopped" },
      history("installing", "stopping", "stopped"),
      [],
    );
    expect(stopped?.outcome).toBe("stopped");
    expect(summary(stopped)).toEqual([
      "queued:done",
      "install:cancelled",
      "start:pending",
      "run:pending",
    ]);
  });

  it("shows a start asked of a stopped server as queued, and nothing for one never started", () => {
    const server = { ...npmServer, status: "stopped" as const, resolvedVersion: "2026.8.31" };
    const queued = deploySteps(
      server,
      history("installing", "starting", "running", "stopping", "stopped"),
      [],
    );
    expect(queued?.kind).toBe("start");
    expect(summary(queued)).toEqual(["queued:active", "start:pending", "run:pending"]);

    expect(deploySteps({ ...npmServer, desiredState: "stopped" }, [], [])).toBeNull();
  });

  it("plans an image pull for image sources", () => {
    const image: DeployServer = {
      ...npmServer,
      source: { type: "image", image: "ghcr.io/acme/mcp:1" },
      runtime: "docker",
      status: "pulling",
    };
    expect(summary(deploySteps(image, history("pulling"), []))).toEqual([
      "queued:done",
      "pull:active",
      "start:pending",
      "run:pending",
    ]);
  });
});
