import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { DataDirInUseError, lockDataDir } from "./config/data-dir-lock.js";
import { resolveSecretKey } from "./config/secret-key.js";
import { openDatabase } from "./db/database.js";
import { createPostgresJobNotifier } from "./jobs/job-notifier.js";
import { bufferedStdout, createLogger } from "./lib/logger.js";
import { createRuntimes } from "./runtimes/create-runtimes.js";
import { VERSION } from "./version.js";

/** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, (p) => resolve(process.cwd(), p));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mcphost: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel }, bufferedStdout());
  // The embedded database can be opened by one process only; replicas on PostgreSQL share no lock.
  let dataDirLock: Awaited<ReturnType<typeof lockDataDir>> | undefined;
  try {
    if (!config.databaseUrl) dataDirLock = await lockDataDir(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`mcphost: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const secretKey = await resolveSecretKey(config, logger);
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: "postgres", url: config.databaseUrl }
      : { kind: "pglite", dataDir: config.dataDir },
  );
  logger.info(
    { database: database.kind, ...(database.kind === "pglite" ? { dataDir: config.dataDir } : {}) },
    "database ready, migrations applied",
  );

  const jobNotifier = config.databaseUrl
    ? await createPostgresJobNotifier(config.databaseUrl, (err) =>
        logger.warn({ err }, "job notifier connection error"),
      )
    : undefined;
  const mcphost = createApp({
    config,
    secretKey,
    logger,
    database,
    runtimes: await createRuntimes(config, logger),
    ...(jobNotifier ? { jobNotifier } : {}),
  });
  const { app } = mcphost;
  await mcphost.start();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info(
      { version: VERSION, port: info.port, url: config.publicUrl },
      "MCP Host is listening",
    );
  });
  server.on("error", (err) => {
    logger.fatal({ err }, "could not listen");
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    mcphost.startDraining();
    const forced = setTimeout(() => {
      logger.warn("drain timeout reached; closing remaining connections");
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    forced.unref();
    // close() stops accepting and resolves once every in-flight request has finished.
    await new Promise<void>((done) => server.close(() => done()));
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    clearTimeout(forced);
    // Running servers keep running: the next start adopts (Docker) or restarts them.
    await mcphost.stop();
    await database.close();
    await dataDirLock?.release();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(
    `mcphost: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
