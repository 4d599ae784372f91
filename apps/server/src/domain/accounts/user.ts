export type UserRole = "admin" | "user";

export interface User {
  id: string;
  email: string;
  role: UserRole;
  serverQuota: number;
  createdAt: Date;
}

/** A user row including the password hash: only the accounts service ever sees this. */
export interface UserWithSecret extends User {
  passwordHash: string;
}

export const DEFAULT_SERVER_QUOTA = 10;
export const PASSWORD_MIN_LENGTH = 8;
/** Bounded so that hashing cannot be used to burn CPU with megabyte passwords. */
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;

/** Emails are compared case-insensitively everywhere, so they are stored lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
