import { describe, expect, it } from "vitest";
import {
  type DeployedPackage,
  dockerLaunch,
  dockerRunArgs,
  processLaunch,
} from "./deploy-baselines.js";

const target: DeployedPackage = {
  packageDir: "/data/packages/pkg@1.0.0",
  entry: "node_modules/pkg/dist/index.js",
  limits: { memoryMb: 512, cpus: 0.5, pids: 256 },
  network: "outbound",
  filesDir: "/tmp/files",
};

describe("the deploy baselines", () => {
  it("says the Docker runtime's container as docker run flags", () => {
    const { launch, container } = dockerLaunch(target, {
      image: "node-img:1",
      network: "bench-net",
      instanceId: "baseline-1",
    });
    expect(container).toBe("mcphost-baseline-1");
    expect(launch.command).toBe("docker");
    const args = launch.args.join(" ");
    expect(args).toMatch(/^run -i --rm --name mcphost-baseline-1 /);
    expect(args).toContain(
      "--mount type=bind,source=/data/packages/pkg@1.0.0,target=/opt/mcphost/package,readonly",
    );
    expect(args).toContain("--mount type=bind,source=/tmp/files,target=/data ");
    expect(args).toContain(`--memory ${512 * 2 ** 20}b --memory-swap ${512 * 2 ** 20}b`);
    expect(args).toContain("--cpus 0.5 --pids-limit 256");
    expect(args).toContain("--cap-drop ALL --read-only");
    expect(args).toContain("--network bench-net --init");
    expect(args).toContain("--workdir /data");
    expect(args).not.toContain("--label");
    // The image's entrypoint cleared, then node with the heap flag on the mounted entry.
    expect(launch.args.slice(-5)).toEqual([
      "",
      "node-img:1",
      "node",
      "--max-old-space-size=384",
      "/opt/mcphost/package/node_modules/pkg/dist/index.js",
    ]);
  });

  it("refuses a create option it cannot say rather than dropping it", () => {
    expect(() =>
      dockerRunArgs({ name: "x", Image: "i", HostConfig: { Devices: [] } as never }),
    ).toThrow(/HostConfig.Devices/);
  });

  it("runs the package as the process runtime does, with or without bubblewrap", async () => {
    const bare = await processLaunch(target, null);
    expect(bare.command).toBe(process.execPath);
    expect(bare.args).toEqual([
      "--max-old-space-size=384",
      "/data/packages/pkg@1.0.0/node_modules/pkg/dist/index.js",
    ]);
    expect(bare.fd3).toBeUndefined();
    const sandboxed = await processLaunch(target, "/usr/bin/bwrap");
    expect(sandboxed.command).toBe("/usr/bin/bwrap");
    expect(sandboxed.args).toContain("--unshare-all");
    expect(sandboxed.fd3).toMatch(/^--clearenv\0/);
  });
});
