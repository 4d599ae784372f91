import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderApiTypes, SCHEMA_FILE } from "./generate.js";

describe("the generated API types", () => {
  it("match the server's current routes (run `npm run api:generate` after changing one)", async () => {
    const committed = await readFile(SCHEMA_FILE, "utf8");
    expect(committed === (await renderApiTypes())).toBe(true);
  });
});
