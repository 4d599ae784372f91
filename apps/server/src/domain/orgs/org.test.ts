import { describe, expect, it } from "vitest";
import { roleAtLeast, slugify } from "./org.js";

describe("slugify", () => {
  it.each([
    ["Acme Robotics", "acme-robotics"],
    ["  Ünïcödé   Org!! ", "unicode-org"],
    ["---", "org"],
    ["日本", "org"],
    ["a".repeat(80), "a".repeat(48)],
  ])("%s -> %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

describe("roleAtLeast", () => {
  it("orders owner > admin > member", () => {
    expect(roleAtLeast("owner", "admin")).toBe(true);
    expect(roleAtLeast("admin", "admin")).toBe(true);
    expect(roleAtLeast("member", "admin")).toBe(false);
  });
});
