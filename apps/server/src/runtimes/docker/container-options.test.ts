import { describe, expect, test } from "vitest";
import { DEFAULT_LIMITS, SERVER_ID_LABEL } from "../../domain/servers/server.js";
import { type LaunchSpec, PACKAGE_MOUNT, RuntimeError } from "../runtime.js";
import { containerName, containerOptions, networkFor } from "./container-options.js";

const context = { nodeImage: "node:20-bookworm-slim", networkName: "mcphost", user: "1000:1000" };

function spec(more: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    serverId: "srv_1",
    instanceId: "ins_1",
    labels: { [SERVER_ID_LABEL]: "srv_1", "mcphost.managed-by": "mcphost" },
    program: { kind: "node-package", packageDir: "/pkgs/x", entry: "dist/index.js", args: ["--a"] },
    env: { API_KEY: "k", EMPTY: "" },
    transport: { type: "stdio" },
    limits: { memoryMb: 256, cpus: 0.5, pids: 64 },
    network: "outbound",
    gpu: false,
    filesDir: "/srv/files/srv_1",
    ...more,
  };
}

describe("containerOptions", () => {
  test("a node-package runs node from the node image on the read-only package mount", () => {
    const options = containerOptions(spec(), context);
    expect(options).toMatchObject({
      name: "mcphost-ins_1",
      Image: "node:20-bookworm-slim",
      Entrypoint: [],
      // Node's heap is held to three quarters of the 256 MiB limit.
      Cmd: ["node", "--max-old-space-size=192", `${PACKAGE_MOUNT}/dist/index.js`, "--a"],
      Env: ["API_KEY=k", "EMPTY="],
      WorkingDir: "/data",
      User: "1000:1000",
    });
    expect(options.HostConfig?.Mounts).toEqual([
      { Type: "bind", Source: "/srv/files/srv_1", Target: "/data", ReadOnly: false },
      { Type: "bind", Source: "/pkgs/x", Target: PACKAGE_MOUNT, ReadOnly: true },
    ]);
  });

  test("hardening: no capabilities, no privilege gain, read-only root, limits, no ports", () => {
    const host = containerOptions(spec(), context).HostConfig;
    expect(host).toMatchObject({
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,nosuid,nodev,size=256m" },
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      NetworkMode: "mcphost",
      PortBindings: {},
      PublishAllPorts: false,
      Init: true,
      RestartPolicy: { Name: "no" },
    });
    expect(host?.Binds).toBeUndefined();
    expect(host?.CapAdd).toBeUndefined();
    expect(host?.DeviceRequests).toBeUndefined();
    expect(JSON.stringify(host)).not.toContain("docker.sock");
  });

  test("labels are the spec's plus the instance id, and the port for http", () => {
    const stdio = containerOptions(spec(), context);
    expect(stdio.Labels).toEqual({
      [SERVER_ID_LABEL]: "srv_1",
      "mcphost.managed-by": "mcphost",
      "mcphost.instance-id": "ins_1",
    });
    const http = containerOptions(
      spec({ transport: { type: "http", port: 8080, path: "/mcp" } }),
      context,
    );
    expect(http.Labels?.["mcphost.port"]).toBe("8080");
  });

  test("stdio keeps stdin open across attaches; http does not open stdin", () => {
    expect(containerOptions(spec(), context)).toMatchObject({
      OpenStdin: true,
      StdinOnce: false,
      AttachStdin: true,
      Tty: false,
    });
    const http = containerOptions(
      spec({ transport: { type: "http", port: 8080, path: "/mcp" } }),
      context,
    );
    expect(http).toMatchObject({ OpenStdin: false, Tty: false });
  });

  test("gpu asks for every GPU through a device request", () => {
    const host = containerOptions(spec({ gpu: true }), context).HostConfig;
    expect(host?.DeviceRequests).toEqual([
      { Driver: "", Count: -1, Capabilities: [["gpu"]], Options: {} },
    ]);
  });

  test("image programs keep the image's entrypoint unless overridden", () => {
    const plain = containerOptions(
      spec({ program: { kind: "image", image: "ghcr.io/a/b:1" } }),
      context,
    );
    expect(plain).toMatchObject({ Image: "ghcr.io/a/b:1" });
    expect(plain.Entrypoint).toBeUndefined();
    expect(plain.Cmd).toBeUndefined();
    expect(plain.HostConfig?.Mounts).toHaveLength(1);

    const args = containerOptions(
      spec({ program: { kind: "image", image: "x", args: ["--port", "1"] } }),
      context,
    );
    expect(args.Entrypoint).toBeUndefined();
    expect(args.Cmd).toEqual(["--port", "1"]);

    const command = containerOptions(
      spec({ program: { kind: "image", image: "x", command: ["/bin/srv"] } }),
      context,
    );
    expect(command).toMatchObject({ Entrypoint: ["/bin/srv"], Cmd: [] });
  });

  test("host commands are refused", () => {
    expect(() =>
      containerOptions(
        spec({ program: { kind: "host-command", command: "ls", args: [] } }),
        context,
      ),
    ).toThrow(expect.objectContaining({ code: "UNSUPPORTED" }));
  });

  test("defaults are plausible for DEFAULT_LIMITS", () => {
    const host = containerOptions(spec({ limits: DEFAULT_LIMITS }), context).HostConfig;
    expect(host?.NanoCpus).toBe(1e9);
  });
});

describe("networkFor", () => {
  test("outbound joins the bridge; none means no network, or an internal one for http", () => {
    expect(networkFor(spec(), "mcphost")).toBe("mcphost");
    expect(networkFor(spec({ network: "none" }), "mcphost")).toBe("none");
    const http = spec({ network: "none", transport: { type: "http", port: 1, path: "/" } });
    expect(networkFor(http, "mcphost")).toBe("mcphost-internal");
  });
});

test("instance ids that Docker cannot use in a name are refused", () => {
  expect(containerName("ins_abc-1.2")).toBe("mcphost-ins_abc-1.2");
  expect(() => containerName("../x")).toThrow(RuntimeError);
  expect(() => containerName("a b")).toThrow(RuntimeError);
});
