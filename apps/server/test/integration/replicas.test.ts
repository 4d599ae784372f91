import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requirePostgresUrl, skipWithoutPostgres } from "../support/postgres.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { createPostgresDatabase } from "../support/test-database.js";

/**
 * Several control-plane replicas on one PostgreSQL: they migrate once between them, and a session
 * issued by one is honoured (and revoked) by the others.
 */
describe.skipIf(skipWithoutPostgres)(
  `replicas on one PostgreSQL${skipWithoutPostgres ? ` (${skipWithoutPostgres})` : ""}`,
  () => {
    let replicas: ServerProcess[] = [];
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const db = await createPostgresDatabase(requirePostgresUrl());
      drop = db.drop;
      const env = {
        DATABASE_URL: db.url,
        MCPHOST_SECRET_KEY: "replica-shared-secret-0123456789abcdef",
        MCPHOST_DATA_DIR: "/tmp/mcphost-replica-unused",
      };
      // Started together, so both race to migrate the empty database.
      replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    }, 90_000);

    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await drop?.();
    });

    it("both become ready", async () => {
      for (const r of replicas) {
        expect((await fetch(`${r.url}/readyz`)).status).toBe(200);
      }
    });

    it("shares accounts and sessions across replicas, and one admin among racing first registrations", async () => {
      const [a, b] = replicas as [ServerProcess, ServerProcess];
      const register = (url: string, email: string) =>
        fetch(`${url}/api/auth/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password: "correct horse battery" }),
        });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          register(i % 2 ? a.url : b.url, `racer${i}@example.com`),
        ),
      );
      const bodies = (await Promise.all(results.map((r) => r.json()))) as Array<{
        user: { role: string };
      }>;
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(bodies.filter((x) => x.user.role === "admin")).toHaveLength(1);

      const cookie = results[0]?.headers.getSetCookie()[0]?.split(";")[0] as string;
      const meOnB = await fetch(`${b.url}/api/me`, { headers: { cookie } });
      expect(meOnB.status).toBe(200);
      const logoutOnA = await fetch(`${a.url}/api/auth/logout`, {
        method: "POST",
        headers: { cookie, origin: a.url.replace("127.0.0.1", "localhost") },
      });
      expect(logoutOnA.status).toBe(204);
      expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    });
  },
);
