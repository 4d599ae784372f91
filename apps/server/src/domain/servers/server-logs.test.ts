import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverFixture } from "../../../test/support/server-fixture.js";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { Database } from "../../db/database.js";
import { createStore } from "../../db/store.js";
import { createInProcessEventBus } from "../../lifecycle/event-bus.js";
import type { Store } from "../store.js";
import type { ServerLogLine } from "./ports.js";
import { createServerLogs } from "./server-logs.js";

let database: Database;
let drop: () => Promise<void>;
let store: Store;

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  store = createStore(database.db);
  const now = new Date();
  await store.users.insert({
    id: "usr_l",
    email: "l@example.com",
    passwordHash: "x",
    role: "user",
    serverQuota: 10,
    createdAt: now,
  });
  await store.servers.insert(
    serverFixture({
      id: "srv_logs",
      owner: { kind: "user", userId: "usr_l" },
      slug: "logs",
      desiredState: "stopped",
      status: "created",
    }),
  );
});
afterAll(() => drop?.());

describe("server logs", () => {
  it("stores lines in order, publishes them, cuts long lines and keeps only the newest", async () => {
    const bus = createInProcessEventBus();
    const published: ServerLogLine[] = [];
    bus.onLogs("srv_logs", (lines) => published.push(...lines));
    const logs = createServerLogs({
      store,
      bus,
      options: { retentionLines: 100, maxLineLength: 50 },
    });
    for (let i = 1; i <= 450; i++) logs.append("srv_logs", "stderr", `line ${i}`);
    logs.append("srv_logs", "stdout", "x".repeat(80));
    await logs.flush();

    const kept = await store.serverLogs.list({ serverId: "srv_logs", limit: 1000 });
    expect(kept.length).toBeLessThanOrEqual(100 + 100); // pruned every tenth of retention (min 100 lines)
    expect(kept.at(-1)?.line).toBe(`${"x".repeat(50)} [truncated]`);
    expect(kept.at(-2)?.line).toBe("line 450");
    const ids = kept.map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(published.map((l) => l.line).slice(0, 2)).toEqual(["line 1", "line 2"]);
    expect(published).toHaveLength(451);

    // Once pruning runs again, only the newest `retentionLines` remain.
    for (let i = 451; i <= 600; i++) logs.append("srv_logs", "stderr", `line ${i}`);
    await logs.flush();
    const after = await store.serverLogs.list({ serverId: "srv_logs", limit: 1000 });
    expect(after).toHaveLength(100);
    expect(after.at(-1)?.line).toBe("line 600");
  });
});

describe("server events retention", () => {
  it("deletes events older than the cut-off and keeps newer ones", async () => {
    const owner = { kind: "user", userId: "usr_l" } as const;
    const day = 86_400_000;
    const now = Date.now();
    await store.serverEvents.insert({
      serverId: "srv_logs",
      owner,
      kind: "start",
      details: {},
      time: new Date(now - 100 * day),
    });
    await store.serverEvents.insert({
      serverId: "srv_logs",
      owner,
      kind: "stop",
      details: {},
      time: new Date(now - day),
    });
    expect(await store.serverEvents.deleteOlderThan(new Date(now - 90 * day))).toBe(1);
    const left = await store.serverEvents.list({ serverId: "srv_logs", limit: 10 });
    expect(left.map((e) => e.kind)).toEqual(["stop"]);
  });
});
