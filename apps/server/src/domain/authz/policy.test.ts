import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { Database } from "../../db/database.js";
import { createStore } from "../../db/store.js";
import { DomainError } from "../../lib/errors.js";
import { scopesForRole } from "../accounts/account-service.js";
import type { User } from "../accounts/user.js";
import type { Store } from "../store.js";
import type { Actor } from "./actor.js";
import { createPolicy } from "./policy.js";

let database: Database;
let drop: () => Promise<void>;
let store: Store;
let policy: ReturnType<typeof createPolicy>;
const actors: Record<string, Actor> = {};

async function makeUser(name: string, role: User["role"] = "user"): Promise<Actor> {
  const user = await store.users.insert({
    id: `usr_${name}`,
    email: `${name}@example.com`,
    passwordHash: "x",
    role,
    serverQuota: 10,
    createdAt: new Date(),
  });
  return { user, scopes: scopesForRole(role), via: { kind: "session", sessionId: `ses_${name}` } };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  store = createStore(database.db);
  policy = createPolicy({ store });
  for (const name of ["owner", "member", "admin", "outsider"]) actors[name] = await makeUser(name);
  actors.siteadmin = await makeUser("siteadmin", "admin");
  const now = new Date();
  await store.orgs.insert({
    id: "org_x",
    name: "X",
    slug: "x",
    serverQuota: 10,
    createdAt: now,
    updatedAt: now,
  });
  await store.orgs.addMember("org_x", "usr_owner", "owner", now);
  await store.orgs.addMember("org_x", "usr_member", "member", now);
  await store.orgs.addMember("org_x", "usr_admin", "admin", now);
});
afterAll(() => drop?.());

describe("authorizeOwned (resources owned by a user or an org)", () => {
  it("lets only the owning user (and site admins) near a user-owned resource, hiding it from others", async () => {
    const owned = { kind: "user", userId: "usr_owner" } as const;
    expect(await codeOf(policy.authorizeOwned(actors.owner as Actor, owned, "manage"))).toBe("OK");
    expect(await codeOf(policy.authorizeOwned(actors.outsider as Actor, owned, "read"))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(policy.authorizeOwned(actors.siteadmin as Actor, owned, "manage"))).toBe(
      "OK",
    );
  });

  it("grades org-owned resources by org role", async () => {
    const owned = { kind: "org", orgId: "org_x" } as const;
    const m = actors.member as Actor;
    expect(await codeOf(policy.authorizeOwned(m, owned, "read"))).toBe("OK");
    expect(await codeOf(policy.authorizeOwned(m, owned, "operate"))).toBe("OK");
    expect(await codeOf(policy.authorizeOwned(m, owned, "manage"))).toBe("FORBIDDEN");
    expect(await codeOf(policy.authorizeOwned(actors.admin as Actor, owned, "manage"))).toBe("OK");
    expect(await codeOf(policy.authorizeOwned(actors.outsider as Actor, owned, "read"))).toBe(
      "NOT_FOUND",
    );
  });

  it("lets users create for themselves and orgs they belong to, not for others", async () => {
    const o = actors.outsider as Actor;
    expect(
      await codeOf(policy.authorizeCreateFor(o, { kind: "user", userId: "usr_outsider" })),
    ).toBe("OK");
    expect(await codeOf(policy.authorizeCreateFor(o, { kind: "user", userId: "usr_owner" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(policy.authorizeCreateFor(o, { kind: "org", orgId: "org_x" }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(
        policy.authorizeCreateFor(actors.member as Actor, { kind: "org", orgId: "org_x" }),
      ),
    ).toBe("OK");
  });
});

describe("requireScope", () => {
  it("refuses a credential without the scope", () => {
    const narrow: Actor = { ...(actors.owner as Actor), scopes: new Set(["orgs:read"]) };
    expect(() => policy.requireScope(narrow, "orgs:write")).toThrow(/orgs:write/);
    expect(() => policy.requireScope(narrow, "orgs:read")).not.toThrow();
  });
});
