/**
 * Preloaded (`--import`) into a gateway process started with `--expose-gc` by the memory
 * workloads; no part of the app. On SIGUSR2 it collects garbage fully and prints one line,
 * `bench-gc <n> heapUsed=<bytes> rss=<bytes>`, that `readMemoryAfterGc` waits for. Plain
 * JavaScript: the host runs the build with plain `node`, no TypeScript loader (see mcp-host.ts).
 */
let count = 0;
process.on("SIGUSR2", () => {
  const gc = globalThis.gc;
  if (!gc) throw new Error("gc-hook needs node --expose-gc");
  // Twice: the first pass may leave objects whose finalizers free more on the second.
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  count++;
  process.stdout.write(`bench-gc ${count} heapUsed=${heapUsed} rss=${rss}\n`);
});
