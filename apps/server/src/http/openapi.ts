import { z } from "@hono/zod-openapi";
import type { Scope } from "../domain/accounts/scopes.js";
import { requireAuth } from "./middleware/authenticate.js";
import { PROBLEM_CONTENT_TYPE } from "./problem.js";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:mcphost:problem:validation-failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().openapi({ example: "VALIDATION_FAILED" }),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: "The offending fields, for validation errors" }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

const ERROR_DESCRIPTIONS = {
  400: "Invalid request (the fields at fault are listed in `errors`)",
  401: "Not authenticated",
  403: "Authenticated but not allowed (role, scope, CSRF or quota)",
  404: "No such resource, or not visible to you",
  409: "Conflicts with the current state",
  413: "Request body too large",
  429: "Rate limited; see Retry-After",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** Problem responses for the given statuses, plus 400 (validation), which every route can answer. */
export function errorResponses(...statuses: ErrorStatus[]) {
  const all = [...new Set<ErrorStatus>([400, ...statuses])];
  return Object.fromEntries(
    all.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  ) as unknown as Record<
    ErrorStatus,
    { description: string; content: Record<string, { schema: typeof ProblemSchema }> }
  >;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** Marks a route as needing a credential with `scope`, for the docs and for enforcement alike. */
export function secured(scope: Scope, description?: string) {
  return {
    security: [{ cookieAuth: [] }, { bearerAuth: [] }] as Array<Record<string, string[]>>,
    middleware: requireAuth(scope),
    description: `${description ? `${description}\n\n` : ""}Requires scope \`${scope}\`.`,
  };
}

export const idParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" }, example });

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
