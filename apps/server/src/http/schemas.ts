import { z } from "@hono/zod-openapi";
import { SCOPES } from "../domain/accounts/scopes.js";
import {
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type User,
} from "../domain/accounts/user.js";
import { iso } from "./openapi.js";

/** Request and response shapes shared by several route groups. */

export const EmailSchema = z
  .email({ error: "must be a valid email address" })
  .max(EMAIL_MAX_LENGTH)
  .openapi({ example: "ada@example.com" });

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .openapi({ example: "correct horse battery staple" });

export const ScopeSchema = z.enum(SCOPES).openapi("Scope");

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "usr_0abc..." }),
    email: z.string(),
    role: z.enum(["admin", "user"]),
    serverQuota: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .openapi("User");

export const toUserDto = (u: User): z.infer<typeof UserSchema> => ({
  id: u.id,
  email: u.email,
  role: u.role,
  serverQuota: u.serverQuota,
  createdAt: iso(u.createdAt),
});

export const OrgRoleSchema = z.enum(["owner", "admin", "member"]).openapi("OrgRole");

/** Display names: trimmed, non-empty, bounded, no control characters. */
export const NameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");
