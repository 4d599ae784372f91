import type { User, UserRole, UserWithSecret } from "./user.js";

/** Storage the accounts domain needs. Implemented in db/repositories; fakes are not needed in tests. */
export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmailWithSecret(email: string): Promise<UserWithSecret | undefined>;
  findPasswordHash(id: string): Promise<string | undefined>;
  count(): Promise<number>;
  countAdmins(): Promise<number>;
  /** Throws DomainError EMAIL_TAKEN when the email exists. */
  insert(user: UserWithSecret): Promise<User>;
  updatePasswordHash(id: string, passwordHash: string): Promise<void>;
  update(id: string, patch: { role?: UserRole; serverQuota?: number }): Promise<User | undefined>;
  list(page: { limit: number; offset: number }): Promise<{ items: User[]; total: number }>;
  /** Serialises concurrent callers within a transaction (first-user and last-admin rules). */
  lockForAccountChanges(): Promise<void>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SessionRepository {
  insert(session: SessionRecord & { userAgent: string | null; ip: string | null }): Promise<void>;
  findActive(id: string, now: Date): Promise<SessionRecord | undefined>;
  revoke(id: string, now: Date): Promise<void>;
  revokeAllForUser(userId: string, now: Date): Promise<void>;
}

export interface AccessTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenPrefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface AccessTokenRepository {
  insert(token: AccessTokenRecord & { tokenHash: string }): Promise<void>;
  listActive(userId: string, now: Date): Promise<AccessTokenRecord[]>;
  findActiveByHash(tokenHash: string, now: Date): Promise<AccessTokenRecord | undefined>;
  /** Returns false when the token does not exist, is not the user's, or is already revoked. */
  revoke(userId: string, id: string, now: Date): Promise<boolean>;
  touch(id: string, now: Date): Promise<void>;
}

export interface SettingsRepository {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  /** Sets the value only if the key has none (first writer wins across replicas). */
  setIfAbsent<T>(key: string, value: T): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Signs and checks the session credential carried in the browser cookie. */
export interface SessionCodec {
  sign(claims: { userId: string; sessionId: string; expiresAt: Date }): Promise<string>;
  /** Returns undefined for anything not issued by us, tampered with or expired. */
  verify(token: string): Promise<{ userId: string; sessionId: string } | undefined>;
}

/**
 * A counter per key over fixed windows, shared by every replica. `hit` adds one and returns the
 * count in the current window and when that window ends.
 */
export interface RateLimiter {
  hit(key: string, windowSeconds: number, now: Date): Promise<{ count: number; resetAt: Date }>;
  peek(key: string, windowSeconds: number, now: Date): Promise<{ count: number; resetAt: Date }>;
  reset(key: string): Promise<void>;
}
