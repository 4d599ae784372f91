import type { Clock } from "../../lib/clock.js";
import { DomainError, forbidden, notFound } from "../../lib/errors.js";
import { newId, randomBase32 } from "../../lib/ids.js";
import { remoteUrlProblem } from "../../lib/remote-address.js";
import type { Actor, OwnerRef } from "../authz/actor.js";
import type { OwnedResourceAction, Policy } from "../authz/policy.js";
import { slugify } from "../slug.js";
import type { Store } from "../store.js";
import type { ServerPatch } from "./ports.js";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_SESSIONS,
  type NetworkPolicy,
  type ResourceLimits,
  type RuntimeChoice,
  type RuntimeKind,
  type Server,
  type ServerSource,
  type ServerTransport,
  type SessionMode,
} from "./server.js";
import type { ServerActivity } from "./server-activity.js";
import { MAX_ENV_VARS } from "./server-rules.js";

export interface CreateServerInput {
  name: string;
  slug?: string | undefined;
  description?: string | undefined;
  /** Absent: the actor owns it. */
  orgId?: string | undefined;
  source: ServerSource;
  /** Required except for remote sources. */
  transport?: ServerTransport | undefined;
  runtime?: RuntimeChoice | undefined;
  env?: Record<string, string> | undefined;
  limits?: Partial<ResourceLimits> | undefined;
  network?: NetworkPolicy | undefined;
  gpu?: boolean | undefined;
  start?: boolean | undefined;
  public?: boolean | undefined;
  sessionMode?: SessionMode | undefined;
  maxSessions?: number | undefined;
}

export type UpdateServerInput = Partial<
  Pick<
    CreateServerInput,
    | "name"
    | "description"
    | "source"
    | "transport"
    | "network"
    | "gpu"
    | "public"
    | "sessionMode"
    | "maxSessions"
  >
> & {
  limits?: Partial<ResourceLimits> | undefined;
  /** Merged into the current variables; null removes one. */
  env?: Record<string, string | null> | undefined;
};

function mergeEnv(current: Record<string, string>, patch: Record<string, string | null>) {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Which runtime runs a server, and whether it isolates it. Implemented at the composition root. */
export interface RuntimeSelector {
  /** Resolves `auto` and checks that the chosen runtime can run this source. */
  choose(
    choice: RuntimeChoice,
    source: ServerSource,
    /** What the server needs of the runtime; a GPU the runtime cannot give is refused here. */
    needs?: { gpu?: boolean | undefined },
  ): Promise<{ runtime: RuntimeKind; sandboxed: boolean }>;
}

/** Asks the lifecycle worker to bring a server to its desired state (now, or at `runAt`). */
export interface LifecycleQueue {
  converge(serverId: string, reason: string, runAt?: Date): Promise<void>;
}

/** Changes that only take effect in a new instance. */
const REDEPLOY_FIELDS = ["source", "transport", "env", "limits", "network", "gpu"] as const;

export function createServerService(deps: {
  store: Store;
  policy: Policy;
  clock: Clock;
  runtimes: RuntimeSelector;
  lifecycle: LifecycleQueue;
  activity: ServerActivity;
}) {
  const { store, policy, clock, activity } = deps;

  /** The server if the actor may do `action` to it; NOT_FOUND if they may not even see it. */
  async function authorized(actor: Actor, serverId: string, action: OwnedResourceAction) {
    const server = await store.servers.findById(serverId);
    if (!server) throw notFound("Server");
    try {
      await policy.authorizeOwned(actor, server.owner, action);
    } catch (err) {
      if (err instanceof DomainError && err.code === "NOT_FOUND") throw notFound("Server");
      throw err;
    }
    return server;
  }

  async function pickSlug(input: CreateServerInput): Promise<string> {
    if (input.slug) return input.slug;
    const base = slugify(input.name, "server");
    return (await store.servers.slugExists(base)) ? `${base}-${randomBase32(6)}` : base;
  }

  async function checkSourceRules(actor: Actor, source: ServerSource) {
    if (source.type === "command" && actor.user.role !== "admin") {
      throw forbidden("Only administrators may run host commands (they run code on this machine)");
    }
    if (source.type === "remote") {
      if (source.allowPrivateNetwork && actor.user.role !== "admin") {
        throw forbidden("Only administrators may let a remote server use private addresses");
      }
      const problem = await remoteUrlProblem(source.url, source.allowPrivateNetwork === true);
      if (problem) {
        throw new DomainError("VALIDATION_FAILED", `The remote URL ${problem}`, {
          fields: [{ field: "source.url", detail: problem }],
        });
      }
    }
  }

  /** A remote server speaks Streamable HTTP at its URL; every other source needs a transport. */
  function transportFor(source: ServerSource, transport: ServerTransport | undefined) {
    if (source.type === "remote") {
      const url = new URL(source.url);
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      return { type: "http" as const, port, path: url.pathname + url.search };
    }
    if (!transport) {
      throw new DomainError("VALIDATION_FAILED", "A transport is required", {
        fields: [{ field: "transport", detail: 'is required: "stdio" or {type: "http", port}' }],
      });
    }
    return transport;
  }

  async function changeDesiredState(
    actor: Actor,
    serverId: string,
    desired: "running" | "stopped",
    kind: "start" | "stop",
  ) {
    const server = await authorized(actor, serverId, "operate");
    const updated = await store.servers.update(serverId, { desiredState: desired }, clock.now());
    await activity.record(server, kind, { by: actor.user.id });
    await deps.lifecycle.converge(serverId, kind);
    return updated ?? server;
  }

  return {
    authorized,

    async create(actor: Actor, input: CreateServerInput): Promise<Server> {
      const owner: OwnerRef = input.orgId
        ? { kind: "org", orgId: input.orgId }
        : { kind: "user", userId: actor.user.id };
      await policy.authorizeCreateFor(actor, owner);
      await checkSourceRules(actor, input.source);
      const transport = transportFor(input.source, input.transport);
      // Nothing runs locally for a remote server; the runtime column keeps a placeholder.
      const { runtime, sandboxed } =
        input.source.type === "remote"
          ? { runtime: "process" as const, sandboxed: true }
          : await deps.runtimes.choose(input.runtime ?? "auto", input.source, { gpu: input.gpu });
      if (!sandboxed && actor.user.role !== "admin") {
        throw forbidden(
          "This instance cannot sandbox servers on the process runtime (bubblewrap is missing); only administrators may run them",
        );
      }
      const now = clock.now();
      const server: Server = {
        id: newId("server"),
        owner,
        name: input.name,
        slug: await pickSlug(input),
        description: input.description ?? "",
        source: input.source,
        transport,
        env: input.env ?? {},
        limits: { ...DEFAULT_LIMITS, ...input.limits },
        network: input.network ?? "outbound",
        gpu: input.gpu ?? false,
        runtime,
        desiredState: input.start === false ? "stopped" : "running",
        status: "created",
        statusReason: null,
        sandboxed,
        resolvedVersion: null,
        redeployNeeded: false,
        public: input.public ?? false,
        sessionMode: input.sessionMode ?? "session",
        maxSessions: input.maxSessions ?? DEFAULT_MAX_SESSIONS,
        createdAt: now,
        updatedAt: now,
      };
      const insertWithinQuota = () =>
        store.transaction(async (tx) => {
          // Locking the owner row serialises concurrent creates, so the count below is exact.
          const quota = await tx.servers.lockOwnerQuota(owner);
          if (quota === undefined) throw notFound("Owner");
          if ((await tx.servers.countByOwner(owner)) >= quota) {
            throw new DomainError(
              "QUOTA_EXCEEDED",
              `${owner.kind === "org" ? "This organization" : "You"} may have at most ${quota} server${quota === 1 ? "" : "s"}`,
            );
          }
          await tx.servers.insert(server);
        });
      // A derived slug taken by a concurrent create gets a suffix; an explicit one is the caller's.
      for (let attempt = 0; ; attempt++) {
        try {
          await insertWithinQuota();
          break;
        } catch (err) {
          const slugClash = err instanceof DomainError && err.code === "CONFLICT";
          if (!slugClash || input.slug || attempt >= 3) throw err;
          server.slug = `${slugify(input.name, "server")}-${randomBase32(6)}`;
        }
      }
      await activity.record(server, "create", {
        by: actor.user.id,
        runtime,
        source: server.source.type,
      });
      if (server.desiredState === "running") await deps.lifecycle.converge(server.id, "create");
      return server;
    },

    list(actor: Actor) {
      return store.servers.listVisibleTo(actor.user.id, actor.user.role === "admin");
    },

    get: (actor: Actor, serverId: string) => authorized(actor, serverId, "read"),

    /** Saves the change; fields that need a new instance set `redeployNeeded` instead of restarting. */
    async update(actor: Actor, serverId: string, input: UpdateServerInput): Promise<Server> {
      const server = await authorized(actor, serverId, "manage");
      if (!server.sandboxed && actor.user.role !== "admin") {
        throw forbidden("This server runs without a sandbox; only administrators may change it");
      }
      if (input.source) await checkSourceRules(actor, input.source);
      if ((input.source?.type === "remote") !== (server.source.type === "remote")) {
        throw new DomainError(
          "VALIDATION_FAILED",
          "A server cannot switch to or from a remote source",
          {
            fields: [{ field: "source.type", detail: "create a new server instead" }],
          },
        );
      }
      if (server.source.type === "remote") {
        if (input.source) input.transport = transportFor(input.source, undefined);
      } else if (input.source || input.gpu) {
        // The new source and needs must suit the server's runtime (an image needs Docker).
        await deps.runtimes.choose(server.runtime, input.source ?? server.source, {
          gpu: input.gpu ?? server.gpu,
        });
      }
      const env = input.env ? mergeEnv(server.env, input.env) : undefined;
      if (env && Object.keys(env).length > MAX_ENV_VARS) {
        throw new DomainError(
          "VALIDATION_FAILED",
          `A server may have at most ${MAX_ENV_VARS} variables`,
          {
            fields: [{ field: "env", detail: `at most ${MAX_ENV_VARS} variables` }],
          },
        );
      }
      const patch: ServerPatch = {
        ...input,
        env,
        limits: input.limits ? { ...server.limits, ...input.limits } : undefined,
      };
      // Another package (or version range) is resolved afresh at the next deploy.
      if (input.source && JSON.stringify(input.source) !== JSON.stringify(server.source)) {
        patch.resolvedVersion = null;
      }
      for (const key of Object.keys(patch) as Array<keyof ServerPatch>) {
        if (patch[key] === undefined) delete patch[key];
      }
      const changed = REDEPLOY_FIELDS.filter(
        (f) => f in patch && JSON.stringify(patch[f]) !== JSON.stringify(server[f]),
      );
      if (changed.length > 0) patch.redeployNeeded = true;
      const updated = await store.servers.update(serverId, patch, clock.now());
      if (!updated) throw notFound("Server");
      await activity.record(server, "update", { by: actor.user.id, fields: Object.keys(patch) });
      return updated;
    },

    start: (actor: Actor, serverId: string) =>
      changeDesiredState(actor, serverId, "running", "start"),
    stop: (actor: Actor, serverId: string) =>
      changeDesiredState(actor, serverId, "stopped", "stop"),

    /** A new instance of the same deployment (same installed version). */
    async restart(actor: Actor, serverId: string) {
      const server = await authorized(actor, serverId, "operate");
      await store.servers.bumpGeneration(serverId, false, clock.now());
      const updated = await store.servers.update(
        serverId,
        { desiredState: "running" },
        clock.now(),
      );
      await activity.record(server, "restart", { by: actor.user.id, requested: true });
      await deps.lifecycle.converge(serverId, "restart");
      return updated ?? server;
    },

    /** Installs again (resolving the npm version anew, or pulling the image) and replaces the instance. */
    async redeploy(actor: Actor, serverId: string) {
      const server = await authorized(actor, serverId, "operate");
      await store.servers.bumpGeneration(serverId, true, clock.now());
      const updated = await store.servers.update(
        serverId,
        { desiredState: "running", redeployNeeded: false },
        clock.now(),
      );
      await activity.record(server, "deploy", { by: actor.user.id, requested: true });
      await deps.lifecycle.converge(serverId, "redeploy");
      return updated ?? server;
    },

    /** Marks the server for removal; the worker stops it, removes its resources and files, then the row. */
    async delete(actor: Actor, serverId: string) {
      const server = await authorized(actor, serverId, "manage");
      await activity.setStatus(serverId, "removing", null);
      await store.servers.update(serverId, { desiredState: "stopped" }, clock.now());
      await activity.record(server, "delete", { by: actor.user.id });
      await deps.lifecycle.converge(serverId, "delete");
    },
  };
}

export type ServerService = ReturnType<typeof createServerService>;
