import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["apps/**/*.test.ts", "apps/web/src/**/*.test.tsx", "packages/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // Each test file gets its own process and its own database.
    pool: "forks",
    testTimeout: 30_000,
    // Polled expectations wait on real servers and a real browser; under a full parallel run on a
    // small machine the 1 s default flakes where 10 s does not.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
