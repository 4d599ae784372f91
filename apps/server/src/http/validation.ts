import type { Hook } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { FieldIssue } from "../lib/errors.js";
import type { AppEnv } from "./app-env.js";
import { problem } from "./problem.js";

/** Zod issues as `{field, detail}` pairs, where `field` is the dotted path ("" for the whole body). */
export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    detail: issue.message,
  }));
}

/** Every route's request validation fails the same way: 400 problem+json naming each bad field. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input type
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (!result.success) {
    const where = result.target === "json" ? "body" : result.target;
    return problem(c, "VALIDATION_FAILED", `The request ${where} is invalid`, {
      errors: fieldIssues(result.error as ZodError),
    });
  }
};
