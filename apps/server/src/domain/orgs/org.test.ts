import { describe, expect, it } from "vitest";
import { roleAtLeast } from "./org.js";

describe("roleAtLeast", () => {
  it("orders owner > admin > member", () => {
    expect(roleAtLeast("owner", "admin")).toBe(true);
    expect(roleAtLeast("admin", "admin")).toBe(true);
    expect(roleAtLeast("member", "admin")).toBe(false);
  });
});
