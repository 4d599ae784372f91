import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCapabilityDiscovery } from "./capabilities/capability-discovery.js";
import { createPlayground } from "./capabilities/playground.js";
import type { Config } from "./config/config.js";
import type { Database } from "./db/database.js";
import { createPgliteVacuum } from "./db/pglite-vacuum.js";
import { createServerCapabilitiesRepository } from "./db/repositories/server-capabilities-repository.js";
import { createStore, storeOptionsFor } from "./db/store.js";
import { createAccessTokenService } from "./domain/accounts/access-token-service.js";
import { createAccountService } from "./domain/accounts/account-service.js";
import {
  createLoginThrottle,
  DEFAULT_LOGIN_LIMITS,
  type LoginLimits,
} from "./domain/accounts/login-throttle.js";
import { createAdminService } from "./domain/admin/admin-service.js";
import { createAccessChanges } from "./domain/authz/access-changes.js";
import { createPolicy } from "./domain/authz/policy.js";
import { createOrgService } from "./domain/orgs/org-service.js";
import { createServerKeyService } from "./domain/server-keys/server-key-service.js";
import { ensureInstallationId } from "./domain/servers/installation.js";
import { INSTALLATION_LABEL, MANAGED_BY_LABEL, type RuntimeKind } from "./domain/servers/server.js";
import { createServerActivity } from "./domain/servers/server-activity.js";
import { createServerLogs } from "./domain/servers/server-logs.js";
import { createServerService } from "./domain/servers/server-service.js";
import { createServerFileStore } from "./files/server-file-store.js";
import { createGateway } from "./gateway/gateway.js";
import { createGatewayAuth } from "./gateway/gateway-auth.js";
import { createGatewayBackground } from "./gateway/gateway-background.js";
import { createObserverList } from "./gateway/observers.js";
import { createServerLookup } from "./gateway/server-lookup.js";
import { createMemorySessionStore } from "./gateway/session-store.js";
import { createUpstreams } from "./gateway/upstreams.js";
import { createHttpApp } from "./http/http-app.js";
import { createHttpMetrics } from "./http/metrics.js";
import { createLocalJobNotifier, type JobNotifier } from "./jobs/job-notifier.js";
import { createJobQueue } from "./jobs/job-queue.js";
import { createWorker } from "./jobs/worker.js";
import { type Clock, systemClock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";
import { createInProcessEventBus } from "./lifecycle/event-bus.js";
import {
  createHealthMonitor,
  DEFAULT_HEALTH,
  type HealthOptions,
} from "./lifecycle/health-monitor.js";
import {
  CONVERGE_JOB,
  convergeJobHandler,
  createLifecycleQueue,
} from "./lifecycle/lifecycle-jobs.js";
import { createNpmInstaller } from "./lifecycle/npm-installer.js";
import { DEFAULT_READINESS, type ReadinessOptions } from "./lifecycle/readiness.js";
import { createReconciler } from "./lifecycle/reconciler.js";
import { createRuntimeRegistry } from "./lifecycle/runtime-registry.js";
import { createServerLifecycle } from "./lifecycle/server-lifecycle.js";
import { createSessionInstances } from "./lifecycle/session-instances.js";
import { createStatsSampler } from "./lifecycle/stats-sampler.js";
import type { Runtime } from "./runtimes/runtime.js";
import { createArgon2PasswordHasher } from "./security/argon2-password-hasher.js";
import { createJwtSessionCodec } from "./security/jwt-session-codec.js";
import { createTracer } from "./traces/tracer.js";
import { VERSION } from "./version.js";

const DEFAULT_WEB_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));
/** How often the reconciler compares desired and real state after the first pass. */
const RECONCILE_EVERY_MS = 60_000;

export interface AppDependencies {
  config: Config;
  /** The resolved secret key (configured or generated); see config/secret-key.ts. */
  secretKey: string;
  logger: Logger;
  database: Database;
  /** Where servers run; see runtimes/create-runtimes.ts. */
  runtimes: Partial<Record<RuntimeKind, Runtime>>;
  /** Cross-replica wake-ups for the job worker; in-process by default. */
  jobNotifier?: JobNotifier;
  clock?: Clock;
  loginLimits?: LoginLimits;
  readiness?: Partial<ReadinessOptions>;
  health?: Partial<HealthOptions>;
  webDir?: string;
}

/** Composition root: builds every module from its dependencies. `start` begins background work. */
export function createApp(deps: AppDependencies) {
  const { config, logger, database } = deps;
  const clock = deps.clock ?? systemClock;
  let draining = false;
  /** Known once `start` has read it from the database; every instance is labelled with it. */
  let installationId: string | undefined;
  const getInstallationId = () => {
    if (!installationId) throw new Error("the app has not been started");
    return installationId;
  };

  const store = createStore(database.db, storeOptionsFor(database.kind));
  // PGlite runs no autovacuum; PostgreSQL's own reclaims deleted rows' space.
  const vacuum =
    database.kind === "pglite" ? createPgliteVacuum({ db: database.db, logger }) : undefined;
  const policy = createPolicy({ store });
  // Services that change who may use what tell the gateway's credential cache.
  const accessChanges = createAccessChanges();
  const accounts = createAccountService({
    store,
    hasher: createArgon2PasswordHasher(),
    sessions: createJwtSessionCodec(deps.secretKey),
    throttle: createLoginThrottle(store.rateLimits, deps.loginLimits ?? DEFAULT_LOGIN_LIMITS),
    clock,
    sessionTtlSeconds: config.sessionTtlSeconds,
    registrationAllowedByConfig: config.openRegistration,
  });
  const tokens = createAccessTokenService({ store, clock, accessChanges });
  const orgs = createOrgService({ store, policy, clock, accessChanges });
  const admin = createAdminService({
    store,
    policy,
    registrationAllowedByConfig: config.openRegistration,
    accessChanges,
  });

  const metrics = createHttpMetrics();
  const bus = createInProcessEventBus();
  const notifier = deps.jobNotifier ?? createLocalJobNotifier();
  const queue = createJobQueue({ db: database.db, clock, notifier });
  const lifecycleQueue = createLifecycleQueue(queue);
  const runtimes = createRuntimeRegistry(deps.runtimes);
  const activity = createServerActivity({ store, bus, clock });
  const logs = createServerLogs({
    store,
    bus,
    options: { retentionLines: config.logRetentionLines },
    onError: (err) => logger.error({ err }, "could not store server logs"),
  });
  const files = createServerFileStore({
    rootDir: join(config.dataDir, "servers"),
    maxFileBytes: config.maxFileBytes,
    quotaBytes: config.filesQuotaBytes,
  });
  const servers = createServerService({
    store,
    policy,
    clock,
    runtimes: runtimes.selector,
    lifecycle: lifecycleQueue,
    activity,
  });
  const serverKeys = createServerKeyService({ store, servers, clock });
  const gatewayAuth = createGatewayAuth({ keys: serverKeys, tokens, policy, accessChanges, clock });
  const serverLookup = createServerLookup({ servers: store.servers, bus, clock });
  const installer = createNpmInstaller({ rootDir: join(config.dataDir, "packages") });
  const lifecycle = createServerLifecycle({
    store,
    runtimes,
    installer,
    files,
    activity,
    logs,
    queue: lifecycleQueue,
    clock,
    logger: logger.child({ component: "lifecycle" }),
    readiness: { ...DEFAULT_READINESS, ...deps.readiness },
    // The gateway's connection answers for a stdio server's readiness (created below).
    stdioHandshake: (server, instanceId) => upstreams.handshake(server, instanceId),
    spareReady: (server, graceMs) => upstreams.pool.ready(server, graceMs),
    instanceStarting: (instanceId, started) => upstreams.instanceStarting(instanceId, started),
    installationId: getInstallationId,
  });
  const jobPickup = metrics.jobPickupHistogram();
  const worker = createWorker({
    queue,
    notifier,
    clock,
    logger: logger.child({ component: "worker" }),
    handlers: {
      [CONVERGE_JOB]: convergeJobHandler(
        lifecycle,
        activity,
        logger.child({ component: "lifecycle" }),
      ),
    },
    onPickup: (job, waitedMs) => jobPickup.observe({ kind: job.kind }, waitedMs / 1000),
  });
  const reconciler = createReconciler({
    store,
    runtimes,
    lifecycle: lifecycleQueue,
    logger,
    installationId: getInstallationId,
  });
  const sampler = createStatsSampler({
    store,
    runtimes,
    registry: metrics.registry,
    logger,
    clock,
    options: config.stats,
  });
  const gatewaySessions = createMemorySessionStore();
  const traces = createTracer({
    repository: store.invocations,
    clock,
    registry: metrics.registry,
    sessions: gatewaySessions,
    options: {
      retention: config.gateway.traceRetention,
      maxBytes: config.gateway.traceMaxBytes,
    },
    onError: (err) => logger.error({ err }, "could not record MCP traces"),
  });
  const health = createHealthMonitor({
    store,
    runtimes,
    activity,
    logger,
    options: { ...DEFAULT_HEALTH, ...deps.health },
    watched: () => lifecycle.watchedInstances(),
  });

  const gatewayLogger = logger.child({ component: "gateway" });
  const sessionInstances = createSessionInstances({
    store,
    runtimes,
    installer,
    files,
    logs,
    clock,
    installationId: getInstallationId,
  });
  const upstreams = createUpstreams({
    store,
    runtimes,
    instances: sessionInstances,
    logger: gatewayLogger,
  });
  const gatewayObservers = createObserverList((err) =>
    gatewayLogger.error({ err }, "a gateway observer failed"),
  );
  const gateway = createGateway({
    upstreams,
    sessions: gatewaySessions,
    observer: gatewayObservers,
    clock,
    logger: gatewayLogger,
    idleMs: config.gateway.sessionIdleMs,
  });
  // What each server offers, learned through the gateway's connector like any client would.
  const capabilities = createServerCapabilitiesRepository(database.db);
  const discovery = createCapabilityDiscovery({
    servers: store.servers,
    capabilities,
    connector: gateway.connector,
    bus,
    clock,
    logger: logger.child({ component: "discovery" }),
    version: VERSION,
  });
  gatewayObservers.add(traces);
  gatewayObservers.add(discovery.listChangedWatcher);
  const playground = createPlayground({ connector: gateway.connector, version: VERSION });
  const gatewayBackground = createGatewayBackground({
    gateway,
    upstreams,
    instances: sessionInstances,
    store,
    bus,
    logger: gatewayLogger,
    idleMs: config.gateway.sessionIdleMs,
    installationLabels: () => ({
      [MANAGED_BY_LABEL]: "mcphost",
      [INSTALLATION_LABEL]: getInstallationId(),
    }),
  });

  const app = createHttpApp({
    config,
    logger,
    database,
    store,
    policy,
    accounts,
    tokens,
    orgs,
    admin,
    servers,
    serverKeys,
    files,
    bus,
    sampler,
    metrics,
    traces,
    webDir: deps.webDir ?? DEFAULT_WEB_DIR,
    isDraining: () => draining,
    gateway,
    gatewayAuth,
    serverLookup,
    clock,
    capabilities,
    playground,
  });

  let reconcileTimer: NodeJS.Timeout | undefined;
  return {
    app,
    metrics,
    worker,
    lifecycle,
    /** Sees every MCP message through the gateway; records invocations and MCP metrics. */
    traces,
    /** CPU and memory of running servers: sampled and stored every interval on the worker. */
    sampler,
    /** Who may use a server through the MCP gateway (for the gateway, and tests). */
    gatewayAuth,
    /** The MCP gateway: its sessions, upstreams and connector (discovery, playground). */
    gateway,
    /** Add observers of every MCP message (tracing, list_changed) while composing. */
    gatewayObservers,
    /** Starts the lifecycle worker, the first reconcile pass and stats sampling (role "worker"). */
    async start() {
      installationId = await ensureInstallationId(store);
      vacuum?.start();
      if (config.roles.has("api")) await gatewayBackground.start();
      if (config.roles.has("api")) discovery.start();
      if (!config.roles.has("worker")) return;
      // The embedded database has one user: a job "running" now was left by a killed process.
      if (database.kind === "pglite") {
        const requeued = await queue.requeueAllRunning();
        if (requeued > 0)
          logger.info({ requeued }, "requeued jobs interrupted by the last shutdown");
      }
      worker.start();
      const reconcile = async () => {
        await reconciler.reconcile().catch((err) => logger.error({ err }, "reconcile pass failed"));
        // Finished jobs are kept a day for inspection, then dropped; events per the retention setting.
        const now = clock.now().getTime();
        await queue.purgeFinished(new Date(now - 86_400_000)).catch(() => {});
        await store.serverEvents
          .deleteOlderThan(new Date(now - config.eventRetentionDays * 86_400_000))
          .catch((err) => logger.warn({ err }, "could not prune old server events"));
      };
      await reconcile();
      reconcileTimer = setInterval(reconcile, RECONCILE_EVERY_MS);
      reconcileTimer.unref();
      sampler.start();
      health.start();
    },
    /** This installation's id (after `start`). */
    installationId: getInstallationId,
    /** Runs one reconcile pass now (tests, and operators through a future admin action). */
    reconcileNow: () => reconciler.reconcile(),
    /** Readiness turns false so load balancers drain this replica before it stops. */
    startDraining() {
      draining = true;
    },
    /** Stops background work; running jobs finish first. Server instances keep running. */
    async stop() {
      if (reconcileTimer) clearInterval(reconcileTimer);
      await vacuum?.stop();
      sampler.stop();
      health.stop();
      serverLookup.close();
      await discovery.stop();
      await gatewayBackground.stop();
      await worker.stop();
      await logs.flush();
      await traces.flush();
      await notifier.close();
    },
  };
}

export type McpHostApp = ReturnType<typeof createApp>;
