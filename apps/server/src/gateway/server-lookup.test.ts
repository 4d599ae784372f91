import { describe, expect, it } from "vitest";
import type { ServerEvent } from "../domain/servers/ports.js";
import type { Server } from "../domain/servers/server.js";
import type { ServerStatus } from "../domain/servers/server-status.js";
import { ManualClock } from "../lib/clock.js";
import { createInProcessEventBus } from "../lifecycle/event-bus.js";
import { createServerLookup, SERVER_LOOKUP_TTL_MS } from "./server-lookup.js";

/** A servers table of one function field: what the lookup reads, and how often. */
function table() {
  const rows = new Map<string, Server>();
  let reads = 0;
  return {
    rows,
    get reads() {
      return reads;
    },
    findBySlug: async (slug: string) => {
      reads++;
      const row = rows.get(slug);
      return row && { ...row };
    },
  };
}

const row = (slug: string, status: ServerStatus, extra: Partial<Server> = {}) =>
  ({ id: `srv_${slug}`, slug, status, public: false, ...extra }) as Server;

function setup() {
  const servers = table();
  const bus = createInProcessEventBus();
  const clock = new ManualClock();
  const lookup = createServerLookup({ servers, bus, clock });
  let nextId = 1;
  const publish = (serverId: string, kind: string, details: Record<string, unknown> = {}) =>
    bus.publishEvent({
      id: nextId++,
      serverId,
      owner: { kind: "user", userId: "usr_x" },
      kind,
      details,
      time: clock.now(),
    } satisfies ServerEvent);
  return { servers, lookup, clock, publish };
}

describe("server lookup for the MCP routes", () => {
  it("reads a running server once per TTL", async () => {
    const { servers, lookup, clock } = setup();
    servers.rows.set("a", row("a", "running"));
    for (let i = 0; i < 10; i++) expect((await lookup.findBySlug("a"))?.id).toBe("srv_a");
    expect(servers.reads).toBe(1);
    clock.advance(SERVER_LOOKUP_TTL_MS);
    await lookup.findBySlug("a");
    expect(servers.reads).toBe(2);
  });

  it("sees a status change, an update and a deletion at the next request", async () => {
    const { servers, lookup, publish } = setup();
    servers.rows.set("a", row("a", "running"));
    await lookup.findBySlug("a");

    servers.rows.set("a", row("a", "running", { public: true }));
    publish("srv_a", "update", { fields: ["public"] });
    expect((await lookup.findBySlug("a"))?.public).toBe(true);

    servers.rows.set("a", row("a", "stopping"));
    publish("srv_a", "status", { from: "running", to: "stopping" });
    expect((await lookup.findBySlug("a"))?.status).toBe("stopping");

    // Not serving: read afresh every time, so the row's removal shows without an event.
    servers.rows.delete("a");
    expect(await lookup.findBySlug("a")).toBeUndefined();
  });

  it("answers a flood of requests for an unknown slug with one read, until a server is created", async () => {
    const { servers, lookup, publish } = setup();
    for (let i = 0; i < 20; i++) expect(await lookup.findBySlug("nope")).toBeUndefined();
    expect(servers.reads).toBe(1);
    servers.rows.set("nope", row("nope", "created"));
    publish("srv_nope", "create");
    expect((await lookup.findBySlug("nope"))?.id).toBe("srv_nope");
  });

  it("leaves other servers cached when one changes", async () => {
    const { servers, lookup, publish } = setup();
    servers.rows.set("a", row("a", "running"));
    servers.rows.set("b", row("b", "running"));
    await lookup.findBySlug("a");
    await lookup.findBySlug("b");
    publish("srv_a", "restart");
    await lookup.findBySlug("a");
    await lookup.findBySlug("b");
    expect(servers.reads).toBe(3);
  });

  it("stops listening when closed", async () => {
    const { servers, lookup, publish } = setup();
    servers.rows.set("a", row("a", "running"));
    await lookup.findBySlug("a");
    lookup.close();
    publish("srv_a", "update");
    await lookup.findBySlug("a");
    expect(servers.reads).toBe(1);
  });
});
