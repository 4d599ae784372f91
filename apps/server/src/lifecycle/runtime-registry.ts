import type { RuntimeChoice, RuntimeKind, ServerSource } from "../domain/servers/server.js";
import type { RuntimeSelector } from "../domain/servers/server-service.js";
import { DomainError } from "../lib/errors.js";
import type { Runtime, RuntimeAvailability } from "../runtimes/runtime.js";

/** Which source types each runtime can run. */
const SUPPORTS: Record<RuntimeKind, ReadonlySet<ServerSource["type"]>> = {
  process: new Set(["npm", "command"]),
  docker: new Set(["npm", "image"]),
};

/**
 * The runtimes this control plane has, and the rules for choosing one. `auto` prefers Docker when
 * it is reachable (stronger isolation), else the process runtime; host commands always run as processes.
 */
export function createRuntimeRegistry(runtimes: Partial<Record<RuntimeKind, Runtime>>) {
  const availabilityCache = new Map<RuntimeKind, { at: number; value: RuntimeAvailability }>();

  async function availability(kind: RuntimeKind): Promise<RuntimeAvailability> {
    const runtime = runtimes[kind];
    if (!runtime)
      return { available: false, reason: `the ${kind} runtime is not enabled`, sandboxed: false };
    const cached = availabilityCache.get(kind);
    if (cached && Date.now() - cached.at < 10_000) return cached.value;
    const value = await runtime.availability();
    availabilityCache.set(kind, { at: Date.now(), value });
    return value;
  }

  function get(kind: RuntimeKind): Runtime {
    const runtime = runtimes[kind];
    if (!runtime) throw new Error(`the ${kind} runtime is not enabled`);
    return runtime;
  }

  const selector: RuntimeSelector = {
    async choose(
      choice: RuntimeChoice,
      source: ServerSource,
      needs: { gpu?: boolean | undefined } = {},
    ) {
      let kind: RuntimeKind;
      if (choice !== "auto") {
        kind = choice;
      } else if (source.type === "command") {
        kind = "process";
      } else if (source.type === "image") {
        kind = "docker";
      } else {
        kind = (await availability("docker")).available ? "docker" : "process";
      }
      if (!SUPPORTS[kind].has(source.type)) {
        throw new DomainError(
          "VALIDATION_FAILED",
          `The ${kind} runtime cannot run ${source.type} sources`,
          {
            fields: [
              {
                field: "runtime",
                detail: `${source.type} sources need the ${source.type === "image" ? "docker" : "process"} runtime`,
              },
            ],
          },
        );
      }
      const state = await availability(kind);
      if (!state.available) {
        throw new DomainError(
          "VALIDATION_FAILED",
          `The ${kind} runtime is not available: ${state.reason ?? "unknown reason"}`,
          {
            fields: [{ field: "runtime", detail: `${kind} is not available on this instance` }],
          },
        );
      }
      if (needs.gpu && !state.gpu) {
        throw new DomainError(
          "VALIDATION_FAILED",
          `The ${kind} runtime here cannot provide a GPU`,
          {
            fields: [
              {
                field: "gpu",
                detail: `no GPU is available to the ${kind} runtime on this instance`,
              },
            ],
          },
        );
      }
      return { runtime: kind, sandboxed: state.sandboxed };
    },
  };

  return {
    get,
    availability,
    selector,
    /** The enabled runtimes, for the reconciler's sweep. */
    all: () => Object.values(runtimes).filter((r): r is Runtime => r !== undefined),
  };
}

export type RuntimeRegistry = ReturnType<typeof createRuntimeRegistry>;
