import type { Server } from "../../src/domain/servers/server.js";

/** A whole `Server` value for unit tests of code that only reads one; override what matters. */
export function serverFixture(overrides: Partial<Server> = {}): Server {
  const now = new Date("2026-01-02T03:04:05Z");
  return {
    id: "srv_fixture",
    owner: { kind: "user", userId: "usr_fixture" },
    name: "Weather Tools",
    slug: "weather",
    description: "Forecasts and alerts",
    source: { type: "npm", package: "@acme/weather", version: "1.2.3" },
    transport: { type: "stdio" },
    env: { API_KEY: "sk-secret" },
    limits: { memoryMb: 256, cpus: 1, pids: 64 },
    network: "outbound",
    gpu: false,
    runtime: "process",
    desiredState: "running",
    status: "running",
    statusReason: null,
    sandboxed: true,
    resolvedVersion: null,
    redeployNeeded: false,
    public: false,
    sessionMode: "session",
    maxSessions: 50,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
