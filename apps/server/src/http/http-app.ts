import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import type { Playground } from "../capabilities/playground.js";
import type { Config } from "../config/config.js";
import type { Database } from "../db/database.js";
import type { AccessTokenService } from "../domain/accounts/access-token-service.js";
import type { AccountService } from "../domain/accounts/account-service.js";
import type { AdminService } from "../domain/admin/admin-service.js";
import type { Policy } from "../domain/authz/policy.js";
import type { OrgService } from "../domain/orgs/org-service.js";
import type { ServerKeyService } from "../domain/server-keys/server-key-service.js";
import type { ServerEventBus } from "../domain/servers/ports.js";
import type { ServerCapabilitiesRepository } from "../domain/servers/server-capabilities.js";
import type { ServerService } from "../domain/servers/server-service.js";
import type { Store } from "../domain/store.js";
import type { ServerFileStore } from "../files/server-file-store.js";
import type { Gateway } from "../gateway/gateway.js";
import { createOriginGuard } from "../gateway/origin-guard.js";
import type { GatewayAuth } from "../gateway/ports.js";
import type { ServerLookup } from "../gateway/server-lookup.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { StatsSampler } from "../lifecycle/stats-sampler.js";
import { VERSION } from "../version.js";
import { mountApiDocs } from "./api-docs.js";
import type { AppEnv } from "./app-env.js";
import { handleError } from "./error-handler.js";
import type { HttpMetrics } from "./metrics.js";
import { authenticate } from "./middleware/authenticate.js";
import { allowedOriginsFor, csrfGuard } from "./middleware/csrf.js";
import { requestContext } from "./middleware/request-context.js";
import { securityHeaders } from "./middleware/secure-headers.js";
import { problem } from "./problem.js";
import { createAdminRoutes } from "./routes/admin-routes.js";
import { createAuthRoutes } from "./routes/auth-routes.js";
import { createCapabilityRoutes } from "./routes/capability-routes.js";
import { createClientConfigRoutes } from "./routes/client-config-routes.js";
import { createDiscoveryRoutes } from "./routes/discovery-routes.js";
import { createGatewaySessionRoutes } from "./routes/gateway-session-routes.js";
import { createInvocationRoutes, type InvocationFeed } from "./routes/invocation-routes.js";
import { createMcpRoutes } from "./routes/mcp-routes.js";
import { createMeRoutes } from "./routes/me-routes.js";
import { createOpsRoutes } from "./routes/ops-routes.js";
import { createOrgMemberRoutes } from "./routes/org-member-routes.js";
import { createOrgRoutes } from "./routes/org-routes.js";
import { createPlaygroundRoutes } from "./routes/playground-routes.js";
import { createProtectedResourceRoutes } from "./routes/protected-resource-routes.js";
import { createServerActivityRoutes } from "./routes/server-activity-routes.js";
import { createServerFileRoutes, isServerFileUpload } from "./routes/server-file-routes.js";
import { createServerKeyRoutes } from "./routes/server-key-routes.js";
import { createServerRoutes } from "./routes/server-routes.js";
import { createServerStatsRoutes } from "./routes/server-stats-routes.js";
import { createTokenRoutes } from "./routes/token-routes.js";
import type { CookiePolicy } from "./session-cookie.js";
import { validationHook } from "./validation.js";
import { mountWebApp } from "./web-app.js";

export interface HttpAppDeps {
  config: Config;
  logger: Logger;
  database: Database;
  store: Store;
  policy: Policy;
  accounts: AccountService;
  tokens: AccessTokenService;
  orgs: OrgService;
  admin: AdminService;
  servers: ServerService;
  serverKeys: ServerKeyService;
  files: ServerFileStore;
  bus: ServerEventBus;
  sampler: StatsSampler;
  metrics: HttpMetrics;
  /** The live feed of MCP invocations (the tracer). */
  traces: InvocationFeed;
  webDir: string;
  isDraining: () => boolean;
  gateway: Gateway;
  gatewayAuth: GatewayAuth;
  /** Servers by slug for the MCP routes, cached. */
  serverLookup: ServerLookup;
  clock: Clock;
  /** What discovery learned of each server. */
  capabilities: ServerCapabilitiesRepository;
  playground: Playground;
}

/** The control-plane HTTP app: middleware in request order, then every route group. */
export function createHttpApp(deps: HttpAppDeps) {
  const { config, metrics } = deps;
  const cookies = { secure: config.publicUrl.startsWith("https:"), trustProxy: config.trustProxy };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.use("*", requestContext({ logger: deps.logger, metrics }));
  app.use("*", securityHeaders({ https: cookies.secure }));
  // File uploads stream to disk under their own limits; everything else is small JSON.
  app.use(
    "/api/*",
    except(
      (c) => isServerFileUpload(c.req.method, c.req.path),
      bodyLimit({
        maxSize: config.maxBodyBytes,
        onError: (c) =>
          problem(c, "PAYLOAD_TOO_LARGE", `The request body exceeds ${config.maxBodyBytes} bytes`),
      }),
    ),
  );
  app.use(
    "/api/*",
    csrfGuard(allowedOriginsFor(config.publicUrl, config.publicUrlIsDefault, config.port)),
  );
  app.use("/api/*", authenticate({ accounts: deps.accounts, tokens: deps.tokens }));

  app.route(
    "/",
    createOpsRoutes({
      database: deps.database,
      metrics,
      metricsToken: config.metricsToken,
      isDraining: deps.isDraining,
    }),
  );
  // A worker-only replica (MCPHOST_ROLES=worker) answers health and metrics, nothing else.
  if (config.roles.has("api")) {
    mountApi(app, deps, cookies);
    app.route(
      "/",
      createMcpRoutes({
        servers: deps.serverLookup,
        gateway: deps.gateway,
        auth: deps.gatewayAuth,
        originGuard: createOriginGuard(config),
        publicUrl: config.publicUrl,
      }),
    );
  }
  mountApiDocs(app, { version: VERSION, publicUrl: config.publicUrl });
  app.all("/api/*", (c) =>
    problem(c, "ROUTE_NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`),
  );
  mountWebApp(app, deps.webDir);
  app.notFound((c) => problem(c, "ROUTE_NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  return app;
}

/** Every control-plane route group, the API reference and its document. */
function mountApi(app: OpenAPIHono<AppEnv>, deps: HttpAppDeps, cookies: CookiePolicy) {
  app.route("/api", createAuthRoutes({ accounts: deps.accounts, cookies }));
  app.route("/api", createMeRoutes({ accounts: deps.accounts, orgs: deps.orgs, cookies }));
  app.route("/api", createTokenRoutes({ tokens: deps.tokens }));
  app.route("/api", createOrgRoutes({ orgs: deps.orgs }));
  app.route("/api", createOrgMemberRoutes({ orgs: deps.orgs }));
  app.route("/api", createAdminRoutes({ admin: deps.admin }));
  // Before the server routes: /servers/events must not be read as /servers/{serverId}.
  app.route(
    "/api",
    createServerActivityRoutes({
      servers: deps.servers,
      store: deps.store,
      bus: deps.bus,
      policy: deps.policy,
    }),
  );
  app.route(
    "/api",
    createServerStatsRoutes({
      servers: deps.servers,
      samples: deps.store.serverStats,
      sampler: deps.sampler,
      clock: deps.clock,
    }),
  );
  app.route(
    "/api",
    createInvocationRoutes({
      servers: deps.servers,
      invocations: deps.store.invocations,
      feed: deps.traces,
      clock: deps.clock,
    }),
  );
  app.route(
    "/api",
    createCapabilityRoutes({ servers: deps.servers, capabilities: deps.capabilities }),
  );
  app.route(
    "/api",
    createClientConfigRoutes({ servers: deps.servers, publicUrl: deps.config.publicUrl }),
  );
  app.route("/api", createPlaygroundRoutes({ servers: deps.servers, playground: deps.playground }));
  app.route(
    "/api",
    createServerRoutes({
      servers: deps.servers,
      keys: deps.serverKeys,
      publicUrl: deps.config.publicUrl,
    }),
  );
  app.route("/api", createServerKeyRoutes({ keys: deps.serverKeys }));
  app.route(
    "/api",
    createGatewaySessionRoutes({
      servers: deps.servers,
      sessions: deps.gateway.sessions,
      endSession: (id) => deps.gateway.endSession(id),
      clock: deps.clock,
    }),
  );
  // RFC 9728 fixes this path at the root; the 401s of /mcp/{slug} point clients at it.
  app.route(
    "/",
    createProtectedResourceRoutes({
      servers: deps.store.servers,
      publicUrl: deps.config.publicUrl,
    }),
  );
  // The server card and the AI catalog; mounted before the gateway's /mcp routes.
  app.route(
    "/",
    createDiscoveryRoutes({
      servers: deps.store.servers,
      capabilities: deps.capabilities,
      gatewayAuth: deps.gatewayAuth,
      publicUrl: deps.config.publicUrl,
    }),
  );
  app.route(
    "/api",
    createServerFileRoutes({
      files: deps.files,
      authorizeServer: async (actor, serverId, action) =>
        void (await deps.servers.authorized(actor, serverId, action)),
    }),
  );
  mountApiDocs(app, { version: VERSION, publicUrl: deps.config.publicUrl });
}
