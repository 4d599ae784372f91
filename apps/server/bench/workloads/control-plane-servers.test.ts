import { describe, expect, it } from "vitest";
import { CreateServerSchema } from "../../src/http/routes/server-schemas.js";
import { serverBody } from "./control-plane-servers.js";

describe("the control-plane workload's servers", () => {
  const bodies = Array.from({ length: 1000 }, (_, i) => serverBody(i));

  it("are bodies the API accepts, created without starting", () => {
    for (const body of bodies) {
      expect(CreateServerSchema.safeParse(body).error).toBeUndefined();
      expect(body.start).toBe(false);
    }
  });

  it("vary as a real list does, under distinct names", () => {
    const sources = bodies.map((b) => (b.source as { type: string }).type);
    expect(sources.filter((t) => t === "remote")).toHaveLength(200);
    expect(new Set(bodies.map((b) => b.name)).size).toBe(1000);
    expect(bodies.filter((b) => b.public)).toHaveLength(100);
    expect(new Set(bodies.map((b) => Object.keys(b.env as object).length))).toEqual(
      new Set([0, 1, 2, 3]),
    );
  });

  it("are the same in every run", () => {
    expect(serverBody(7)).toEqual(serverBody(7));
  });
});
