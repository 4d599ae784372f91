import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverFixture } from "../../../test/support/server-fixture.js";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { Server } from "../../domain/servers/server.js";
import type { Db } from "../database.js";
import { createStore } from "../store.js";

let drop: () => Promise<void>;
let db: Db;
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute, 0, 123));

/** Servers of every shape the columns hold: nulls, nested JSON, an org owner, equal timestamps. */
const fixtures: Server[] = [
  serverFixture({ id: "srv_b", slug: "b", createdAt: t(1), updatedAt: t(9) }),
  serverFixture({
    id: "srv_a",
    slug: "a",
    owner: { kind: "org", orgId: "org_1" },
    source: { type: "remote", url: "https://203.0.113.1/mcp", headers: { "x-k": "v" } },
    transport: { type: "http", port: 443, path: "/mcp?x=1" },
    env: {},
    statusReason: 'exited with code 1 — "quoted" ✓',
    resolvedVersion: "1.2.3",
    description: "",
    createdAt: t(1),
    updatedAt: t(2),
  }),
  serverFixture({ id: "srv_c", slug: "c", public: true, gpu: true, createdAt: t(0) }),
  serverFixture({ id: "srv_x", slug: "x", owner: { kind: "user", userId: "usr_other" } }),
  serverFixture({ id: "srv_y", slug: "y", owner: { kind: "org", orgId: "org_2" }, public: true }),
];

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  db = created.database.db;
  const store = createStore(db);
  const now = new Date();
  for (const id of ["usr_fixture", "usr_other"])
    await store.users.insert({
      id,
      email: `${id}@example.com`,
      passwordHash: "x",
      role: "user",
      serverQuota: 10,
      createdAt: now,
    });
  for (const id of ["org_1", "org_2"])
    await store.orgs.insert({
      id,
      name: id,
      slug: id.replace("_", "-"),
      serverQuota: 10,
      createdAt: now,
      updatedAt: now,
    });
  await store.orgs.addMember("org_1", "usr_fixture", "member", now);
  for (const server of fixtures) await store.servers.insert(server);
});
afterAll(() => drop?.());

const ids = (list: Server[]) => list.map((s) => s.id);

// Both ways of reading lists, on whichever engine the tests run (PGlite, or TEST_DATABASE_URL).
describe.each([{ jsonLists: false }, { jsonLists: true }])(
  "the server repository's lists, $jsonLists",
  (options) => {
    const repo = () => createStore(db, options).servers;

    it("lists a user's own servers and their orgs', oldest first (then by id)", async () => {
      expect(ids(await repo().listVisibleTo("usr_fixture", false))).toEqual([
        "srv_c",
        "srv_a",
        "srv_b",
      ]);
      expect(ids(await repo().listVisibleTo("usr_other", false))).toEqual(["srv_x"]);
      expect(await repo().listVisibleTo("usr_nobody", false)).toEqual([]);
    });

    it("lists every server for an admin, and the public ones for the catalog", async () => {
      expect(ids(await repo().listVisibleTo("usr_nobody", true))).toHaveLength(5);
      // srv_y keeps the fixture's creation date, the oldest.
      expect(ids(await repo().listPublic())).toEqual(["srv_y", "srv_c"]);
    });

    it("gives each server exactly as findById does", async () => {
      for (const listed of await repo().listVisibleTo("usr_nobody", true)) {
        const found = await repo().findById(listed.id);
        expect(listed).toEqual(found);
        expect(listed.createdAt).toBeInstanceOf(Date);
      }
      const a = (await repo().listVisibleTo("usr_fixture", false)).find((s) => s.id === "srv_a");
      expect(a).toEqual(fixtures[1]);
    });
  },
);
