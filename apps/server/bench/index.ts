import { benchJobPickup } from "./job-pickup.js";

/**
 * `npm run bench`: speed targets live here, not in timed unit tests. Prints a table per benchmark.
 * Uses PostgreSQL too when TEST_POSTGRES_URL is set (`source .ci/postgres.sh`).
 */
const postgresUrl = process.env.TEST_POSTGRES_URL || undefined;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

console.log("Job pickup latency (idle worker, enqueue -> handler starts), 100 samples");
for (const r of await benchJobPickup({ samples: 100, postgresUrl })) {
  console.log(`  ${r.name.padEnd(44)} p50 ${fmt(r.p50)}  p95 ${fmt(r.p95)}  max ${fmt(r.max)}`);
}
if (!postgresUrl) console.log("  (set TEST_POSTGRES_URL to measure PostgreSQL as well)");
