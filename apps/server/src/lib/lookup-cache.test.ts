import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock.js";
import { createLookupCache } from "./lookup-cache.js";

/** A load that counts its calls and resolves when told (or at once). */
function counted<V>(value: V | undefined) {
  let calls = 0;
  return {
    load: async () => {
      calls++;
      return value;
    },
    get calls() {
      return calls;
    },
  };
}

function deferred<V>() {
  let resolve!: (value: V) => void;
  const promise = new Promise<V>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("lookup cache", () => {
  const make = (clock = new ManualClock(), maxEntries = 100) =>
    createLookupCache<{ id: string }>({ ttlMs: 2000, maxEntries, clock });

  it("serves a value from memory until its TTL passes", async () => {
    const clock = new ManualClock();
    const cache = make(clock);
    const read = counted({ id: "a" });
    expect(await cache.get("k", read.load)).toEqual({ id: "a" });
    clock.advance(1999);
    expect(await cache.get("k", read.load)).toEqual({ id: "a" });
    expect(read.calls).toBe(1);
    clock.advance(1);
    await cache.get("k", read.load);
    expect(read.calls).toBe(2);
  });

  it("caches 'not found' too: many lookups of one unknown key read once per TTL", async () => {
    const clock = new ManualClock();
    const cache = make(clock);
    const read = counted<{ id: string }>(undefined);
    for (let i = 0; i < 50; i++) expect(await cache.get("bad", read.load)).toBeUndefined();
    expect(read.calls).toBe(1);
    clock.advance(2000);
    await cache.get("bad", read.load);
    expect(read.calls).toBe(2);
  });

  it("shares one read between concurrent lookups of a key", async () => {
    const cache = make();
    const read = counted({ id: "a" });
    await Promise.all(Array.from({ length: 10 }, () => cache.get("k", read.load)));
    expect(read.calls).toBe(1);
  });

  it("reads afresh after delete, deleteWhere and clear", async () => {
    const cache = make();
    const read = counted({ id: "a" });
    await cache.get("k", read.load);
    cache.delete("k");
    await cache.get("k", read.load);
    cache.deleteWhere((v) => v?.id === "a");
    await cache.get("k", read.load);
    cache.deleteWhere((v) => v?.id === "other");
    await cache.get("k", read.load);
    expect(read.calls).toBe(3);
    cache.clear();
    await cache.get("k", read.load);
    expect(read.calls).toBe(4);
  });

  it("never stores or shares a read that was under way when the entry was invalidated", async () => {
    const cache = make();
    const stale = deferred<{ id: string } | undefined>();
    const first = cache.get("k", () => stale.promise);
    cache.delete("k"); // the change committed while the read was in flight
    const fresh = counted({ id: "new" });
    const second = cache.get("k", fresh.load);
    stale.resolve({ id: "old" });
    expect(await first).toEqual({ id: "old" }); // its own caller sees what it read
    expect(await second).toEqual({ id: "new" });
    expect(await cache.get("k", fresh.load)).toEqual({ id: "new" });
    expect(fresh.calls).toBe(1);
  });

  it("does not cache a failed read", async () => {
    const cache = make();
    await expect(cache.get("k", () => Promise.reject(new Error("db down")))).rejects.toThrow(
      "db down",
    );
    const read = counted({ id: "a" });
    expect(await cache.get("k", read.load)).toEqual({ id: "a" });
    expect(read.calls).toBe(1);
  });

  it("keeps at most maxEntries, evicting the least recently used", async () => {
    const cache = make(new ManualClock(), 3);
    const [a, b, c, d] = ["a", "b", "c", "d"].map((id) => counted({ id })) as [
      ReturnType<typeof counted<{ id: string }>>,
      ReturnType<typeof counted<{ id: string }>>,
      ReturnType<typeof counted<{ id: string }>>,
      ReturnType<typeof counted<{ id: string }>>,
    ];
    await cache.get("a", a.load);
    await cache.get("b", b.load);
    await cache.get("c", c.load);
    await cache.get("a", a.load); // a is now the most recent; b the least
    await cache.get("d", d.load);
    expect(cache.size).toBe(3);
    await cache.get("a", a.load);
    await cache.get("b", b.load);
    expect(a.calls).toBe(1);
    expect(b.calls).toBe(2);
  });

  it("reads afresh every time for values `keep` refuses", async () => {
    const cache = createLookupCache<{ id: string; status: string }>({
      ttlMs: 2000,
      maxEntries: 10,
      clock: new ManualClock(),
      keep: (v) => v?.status !== "stopped",
    });
    const read = counted({ id: "a", status: "stopped" });
    await cache.get("k", read.load);
    await cache.get("k", read.load);
    expect(read.calls).toBe(2);
  });
});
