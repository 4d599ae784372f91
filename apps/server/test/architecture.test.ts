import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat().filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map(
    (m) => m[1] as string,
  );
}

/** Imports that break the rule "domain depends on nothing of the edges", as `file -> import`. */
async function violations(folder: string, forbidden: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const file of await sourceFiles(join(SRC, folder))) {
    for (const spec of await importsOf(file)) {
      if (forbidden.test(spec)) found.push(`${relative(SRC, file)} -> ${spec}`);
    }
  }
  return found;
}

describe("import direction", () => {
  it("keeps domain free of frameworks, drivers and the edges", async () => {
    const edgePackages =
      /^(hono|@hono\/|drizzle-orm|pg$|@electric-sql\/|dockerode|@kubernetes\/|@modelcontextprotocol\/|jose|@node-rs\/|pino|prom-client)/;
    const edgeFolders = /\/(http|db|security|runtimes|gateway|jobs|config|lifecycle|files)\//;
    expect(await violations("domain", edgePackages)).toEqual([]);
    expect(await violations("domain", edgeFolders)).toEqual([]);
  });

  it("keeps lib free of our own modules", async () => {
    expect(await violations("lib", /^\.\.\//)).toEqual([]);
  });

  it("keeps the database layer out of HTTP concerns", async () => {
    expect(await violations("db", /^(hono|@hono\/)|\/http\//)).toEqual([]);
  });
});
