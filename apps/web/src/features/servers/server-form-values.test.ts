import type { Server } from "@mcphost/api-client";
import { describe, expect, it } from "vitest";
import {
  emptyServerForm,
  newRow,
  serverToForm,
  toCreateBody,
  toUpdateBody,
} from "./server-form-values";

const server: Server = {
  id: "srv_1",
  slug: "everything",
  name: "Everything",
  description: "",
  owner: { type: "user", id: "usr_1" },
  source: { type: "npm", package: "@modelcontextprotocol/server-everything" },
  transport: { type: "stdio" },
  runtime: "process",
  envKeys: ["API_KEY", "DEBUG"],
  limits: { memoryMb: 512, cpus: 1, pids: 256 },
  network: "outbound",
  gpu: false,
  desiredState: "running",
  status: "running",
  statusReason: null,
  sandboxed: true,
  resolvedVersion: "2026.8.31",
  redeployNeeded: false,
  mcpUrl: "http://localhost:7070/mcp/everything",
  public: false,
  sessionMode: "session",
  maxSessions: 50,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

describe("what the settings form sends", () => {
  it("sends nothing for an untouched form (an omitted version reads as latest)", () => {
    expect(toUpdateBody(serverToForm(server), server)).toEqual({});
  });

  it("sends only the limits that changed, and env as a merge", () => {
    const values = serverToForm(server);
    values.limits.memoryMb = "1024";
    values.envEdits = [
      { name: "API_KEY", action: "replace", value: "new" },
      { name: "DEBUG", action: "delete", value: "" },
    ];
    values.env = [newRow("EXTRA", "1"), newRow()];
    expect(toUpdateBody(values, server)).toEqual({
      limits: { memoryMb: 1024 },
      env: { API_KEY: "new", DEBUG: null, EXTRA: "1" },
    });
  });

  it("sends the whole source when any part of it changed", () => {
    const values = serverToForm(server);
    values.source.args = "--verbose\n\n";
    expect(toUpdateBody(values, server)).toEqual({
      source: {
        type: "npm",
        package: "@modelcontextprotocol/server-everything",
        version: "latest",
        args: ["--verbose"],
      },
    });
  });
});

describe("what the new-server form sends", () => {
  it("leaves out what does not apply to a remote server", () => {
    const values = emptyServerForm("org_1");
    Object.assign(values, { name: " Remote " });
    Object.assign(values.source, { type: "remote", url: "https://example.com/mcp" });
    values.source.headers = [newRow("Authorization", "Bearer $TOKEN")];
    expect(toCreateBody(values)).toEqual({
      name: "Remote",
      orgId: "org_1",
      source: {
        type: "remote",
        url: "https://example.com/mcp",
        headers: { Authorization: "Bearer $TOKEN" },
      },
      maxSessions: 50,
      public: false,
      start: true,
    });
  });
});
