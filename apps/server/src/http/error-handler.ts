import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { DomainError } from "../lib/errors.js";
import type { AppEnv } from "./app-env.js";
import { problem } from "./problem.js";
import { fieldIssues } from "./validation.js";

/**
 * Turns anything thrown by a handler into problem+json. Domain errors keep their code and message;
 * anything unexpected becomes a bare 500 whose cause is only in the log.
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err.code === "UNAUTHENTICATED") headers["www-authenticate"] = 'Bearer realm="mcphost"';
    if (err.extra.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(err.extra.retryAfterSeconds);
    }
    return problem(c, err.code, err.message, {
      ...(err.extra.fields ? { errors: err.extra.fields } : {}),
      headers,
    });
  }
  if (err instanceof ZodError) {
    return problem(c, "VALIDATION_FAILED", "The request is invalid", { errors: fieldIssues(err) });
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return problem(c, "PAYLOAD_TOO_LARGE", "The request body is too large");
    if (err.status === 415) {
      return problem(c, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json");
    }
    if (err.status === 400 && /json/i.test(err.message)) {
      return problem(c, "MALFORMED_JSON", "The request body could not be parsed as JSON");
    }
    if (err.status < 500) {
      return problem(c, err.status === 404 ? "ROUTE_NOT_FOUND" : "VALIDATION_FAILED", err.message);
    }
  }
  c.get("logger")?.error({ err }, "unhandled error");
  return problem(
    c,
    "INTERNAL_ERROR",
    "Something went wrong; quote the request id when reporting it",
  );
}
