import { describe, expect, it } from "vitest";
import { slugify } from "./slug.js";

describe("slugify", () => {
  it.each([
    ["Acme Robotics", "acme-robotics"],
    ["  Ünïcödé   Org!! ", "unicode-org"],
    ["---", "org"],
    ["日本", "org"],
    ["a".repeat(80), "a".repeat(48)],
  ])("%s -> %s", (name, slug) => {
    expect(slugify(name, "org")).toBe(slug);
  });
});
