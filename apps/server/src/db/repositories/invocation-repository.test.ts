import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverFixture } from "../../../test/support/server-fixture.js";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { NewInvocation } from "../../domain/traces/ports.js";
import type { Database } from "../database.js";
import { createStore, storeOptionsFor } from "../store.js";
import { createInvocationRepository } from "./invocation-repository.js";

let drop: () => Promise<void>;
let database: Database;

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  database = created.database;
  const store = createStore(database.db);
  await store.users.insert({
    id: "usr_fixture",
    email: "fixture@example.com",
    passwordHash: "x",
    role: "user",
    serverQuota: 10,
    createdAt: new Date(),
  });
  await store.servers.insert(serverFixture({ id: "srv_inv", slug: "inv" }));
});
afterAll(() => drop?.());

/** Values that a text format could mangle: separators, escapes, quotes, NULL's spelling, Unicode. */
const AWKWARD = 'tab\there, line\nbreak, cr\r, back\\slash, \\N, "quoted", é ✓ 🙂';

const invocation = (n: number, extra: Partial<NewInvocation> = {}): NewInvocation => ({
  serverId: "srv_inv",
  sessionId: `session ${n}`,
  clientName: "client",
  clientVersion: "1.0.0",
  direction: "client",
  method: "tools/call",
  target: "echo",
  params: { name: "echo", arguments: { message: `call ${n}` } },
  result: { content: [{ type: "text", text: `answer ${n}` }] },
  error: null,
  isError: false,
  latencyMs: 1.25,
  startedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, 0, n)),
  ...extra,
});

describe.each([
  { how: "as this engine is set up in the app", options: () => storeOptionsFor(database.kind) },
  { how: "from a JSON document", options: () => ({}) },
])("storing invocations $how", ({ options }) => {
  it("stores every value as given and gives ids that increase in the batch's order", async () => {
    const repository = createInvocationRepository(database.db, options());
    const batch = [
      invocation(1, {
        sessionId: AWKWARD,
        clientName: AWKWARD,
        clientVersion: "tab\tand line\nbreak, no backslash",
        target: AWKWARD,
        params: { text: AWKWARD, nested: [AWKWARD, { "key\twith\\odd\nchars": 1 }], n: 0.1 },
        result: null,
      }),
      invocation(2, {
        direction: "server",
        method: "sampling/createMessage",
        target: null,
        sessionId: null,
        clientName: null,
        clientVersion: null,
        params: null,
        error: { code: -32000, message: AWKWARD, data: { why: AWKWARD } },
        isError: true,
        latencyMs: null,
      }),
      invocation(3),
    ];
    const stored = await repository.insertMany(batch);
    expect(stored.map(({ id: _, ...rest }) => rest)).toEqual(batch);
    const ids = stored.map((s) => s.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);

    const read = await repository.list({
      serverId: "srv_inv",
      afterId: (ids[0] as number) - 1,
      limit: 10,
    });
    expect(read).toEqual(stored);
  });

  it("keeps ids increasing from one batch to the next", async () => {
    const repository = createInvocationRepository(database.db, options());
    const first = await repository.insertMany([invocation(4), invocation(5)]);
    const second = await repository.insertMany([invocation(6)]);
    expect(second[0]?.id).toBeGreaterThan(first[1]?.id as number);
    expect(await repository.insertMany([])).toEqual([]);
  });
});
