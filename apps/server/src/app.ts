import { fileURLToPath } from "node:url";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "./config/config.js";
import type { Database } from "./db/database.js";
import { createStore } from "./db/store.js";
import { createAccessTokenService } from "./domain/accounts/access-token-service.js";
import { createAccountService } from "./domain/accounts/account-service.js";
import {
  createLoginThrottle,
  DEFAULT_LOGIN_LIMITS,
  type LoginLimits,
} from "./domain/accounts/login-throttle.js";
import { createAdminService } from "./domain/admin/admin-service.js";
import { createPolicy } from "./domain/authz/policy.js";
import { createOrgService } from "./domain/orgs/org-service.js";
import { mountApiDocs } from "./http/api-docs.js";
import type { AppEnv } from "./http/app-env.js";
import { handleError } from "./http/error-handler.js";
import { createHttpMetrics } from "./http/metrics.js";
import { authenticate } from "./http/middleware/authenticate.js";
import { allowedOriginsFor, csrfGuard } from "./http/middleware/csrf.js";
import { requestContext } from "./http/middleware/request-context.js";
import { problem } from "./http/problem.js";
import { createAdminRoutes } from "./http/routes/admin-routes.js";
import { createAuthRoutes } from "./http/routes/auth-routes.js";
import { createMeRoutes } from "./http/routes/me-routes.js";
import { createOpsRoutes } from "./http/routes/ops-routes.js";
import { createOrgMemberRoutes } from "./http/routes/org-member-routes.js";
import { createOrgRoutes } from "./http/routes/org-routes.js";
import { createTokenRoutes } from "./http/routes/token-routes.js";
import { validationHook } from "./http/validation.js";
import { mountWebApp } from "./http/web-app.js";
import { type Clock, systemClock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";
import { argon2PasswordHasher } from "./security/argon2-password-hasher.js";
import { createJwtSessionCodec } from "./security/jwt-session-codec.js";
import { VERSION } from "./version.js";

const DEFAULT_WEB_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

export interface AppDependencies {
  config: Config;
  /** The resolved secret key (configured or generated); see config/secret-key.ts. */
  secretKey: string;
  logger: Logger;
  database: Database;
  clock?: Clock;
  loginLimits?: LoginLimits;
  webDir?: string;
}

/** Composition root: builds every module from its dependencies and wires the HTTP app. */
export function createApp(deps: AppDependencies) {
  const { config, logger, database } = deps;
  const clock = deps.clock ?? systemClock;
  let draining = false;

  const store = createStore(database.db);
  const policy = createPolicy({ store });
  const accounts = createAccountService({
    store,
    hasher: argon2PasswordHasher,
    sessions: createJwtSessionCodec(deps.secretKey),
    throttle: createLoginThrottle(store.rateLimits, deps.loginLimits ?? DEFAULT_LOGIN_LIMITS),
    clock,
    sessionTtlSeconds: config.sessionTtlSeconds,
    registrationAllowedByConfig: config.openRegistration,
  });
  const tokens = createAccessTokenService({ store, clock });
  const orgs = createOrgService({ store, policy, clock });
  const admin = createAdminService({
    store,
    policy,
    registrationAllowedByConfig: config.openRegistration,
  });
  const metrics = createHttpMetrics();
  const cookies = { secure: config.publicUrl.startsWith("https:"), trustProxy: config.trustProxy };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.use("*", requestContext({ logger, metrics }));
  app.use(
    "*",
    secureHeaders({
      // HSTS only means something over https; on http://localhost it would only confuse.
      strictTransportSecurity: cookies.secure ? "max-age=15552000; includeSubDomains" : false,
      xFrameOptions: "DENY",
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) =>
        problem(c, "PAYLOAD_TOO_LARGE", `The request body exceeds ${config.maxBodyBytes} bytes`),
    }),
  );
  app.use(
    "/api/*",
    csrfGuard(allowedOriginsFor(config.publicUrl, config.publicUrlIsDefault, config.port)),
  );
  app.use("/api/*", authenticate({ accounts, tokens }));

  app.route(
    "/",
    createOpsRoutes({
      database,
      metrics,
      metricsToken: config.metricsToken,
      isDraining: () => draining,
    }),
  );
  app.route("/api", createAuthRoutes({ accounts, cookies }));
  app.route("/api", createMeRoutes({ accounts, orgs, cookies }));
  app.route("/api", createTokenRoutes({ tokens }));
  app.route("/api", createOrgRoutes({ orgs }));
  app.route("/api", createOrgMemberRoutes({ orgs }));
  app.route("/api", createAdminRoutes({ admin }));
  mountApiDocs(app, { version: VERSION, publicUrl: config.publicUrl });
  app.all("/api/*", (c) =>
    problem(c, "ROUTE_NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`),
  );
  mountWebApp(app, deps.webDir ?? DEFAULT_WEB_DIR);
  app.notFound((c) => problem(c, "ROUTE_NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));

  return {
    app,
    metrics,
    /** Readiness turns false so load balancers drain this replica before it stops. */
    startDraining() {
      draining = true;
    },
  };
}

export type McpHostApp = ReturnType<typeof createApp>;
