/**
 * Generates `src/schema.d.ts`, the API's types, from the OpenAPI document the server builds from
 * its route definitions: the web app and every other client type their calls against the routes
 * themselves, never against hand-copied types. `npm run api:generate` rewrites the file; a test
 * fails when the committed one no longer matches the routes.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { startTestServer } from "../../../apps/server/test/support/test-server.js";

export const SCHEMA_FILE = fileURLToPath(new URL("../src/schema.d.ts", import.meta.url));

const HEADER = `/**
 * Generated from the server's OpenAPI document by packages/api-client/scripts/generate.ts.
 * Do not edit: run \`npm run api:generate\` after changing a route.
 */

`;

/** The server's OpenAPI document, as served at /api/openapi.json. */
export async function fetchOpenApiDocument(): Promise<Record<string, unknown>> {
  const server = await startTestServer();
  try {
    const res = await fetch(`${server.url}/api/openapi.json`);
    if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } finally {
    await server.close();
  }
}

/** The text of `src/schema.d.ts` for the current routes. */
export async function renderApiTypes(): Promise<string> {
  const document = await fetchOpenApiDocument();
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript types its input loosely
  const ast = await openapiTS(document as any, { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_FILE, await renderApiTypes());
  console.log(`wrote ${SCHEMA_FILE}`);
}
