import type { Clock } from "../../lib/clock.js";
import { DomainError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Actor } from "../authz/actor.js";
import type { Store } from "../store.js";
import type { createLoginThrottle } from "./login-throttle.js";
import type { PasswordHasher, SessionCodec } from "./ports.js";
import { isRegistrationOpen } from "./registration.js";
import { ALL_SCOPES, type Scope } from "./scopes.js";
import { normalizeEmail, type User } from "./user.js";

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export interface IssuedSession {
  user: User;
  /** The signed credential for the cookie. */
  token: string;
  expiresAt: Date;
}

/** Scopes a browser session carries: everything the role allows. */
export function scopesForRole(role: User["role"]): ReadonlySet<Scope> {
  if (role === "admin") return ALL_SCOPES;
  return new Set([...ALL_SCOPES].filter((s) => s !== "admin"));
}

export function createAccountService(deps: {
  store: Store;
  hasher: PasswordHasher;
  sessions: SessionCodec;
  throttle: ReturnType<typeof createLoginThrottle>;
  clock: Clock;
  sessionTtlSeconds: number;
  /** False when the operator closed registration in configuration (an admin cannot reopen it). */
  registrationAllowedByConfig: boolean;
}) {
  const { store, hasher, clock } = deps;
  // Verified against when the email is unknown, so both failures take the same time.
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => {
    dummyHash ??= hasher.hash(`dummy-${newId("session")}`);
    return dummyHash;
  };

  async function issueSession(user: User, client: ClientInfo): Promise<IssuedSession> {
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + deps.sessionTtlSeconds * 1000);
    const sessionId = newId("session");
    await store.sessions.insert({
      id: sessionId,
      userId: user.id,
      createdAt: now,
      expiresAt,
      revokedAt: null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
    });
    const token = await deps.sessions.sign({ userId: user.id, sessionId, expiresAt });
    return { user, token, expiresAt };
  }

  return {
    /** Creates an account and signs it in. The first account on an instance becomes admin. */
    async register(input: { email: string; password: string }, client: ClientInfo) {
      const email = normalizeEmail(input.email);
      await deps.throttle.beforeRegistration(client.ip, clock.now());
      const passwordHash = await hasher.hash(input.password);
      const user = await store.transaction(async (tx) => {
        await tx.users.lockForAccountChanges();
        const first = (await tx.users.count()) === 0;
        if (!first) {
          const open = await isRegistrationOpen(tx, deps.registrationAllowedByConfig);
          if (!open && !(await tx.orgs.hasInvitationFor(email))) {
            throw new DomainError("REGISTRATION_CLOSED", "Registration is closed on this instance");
          }
        }
        return tx.users.insert({
          id: newId("user"),
          email,
          passwordHash,
          role: first ? "admin" : "user",
          serverQuota: 10,
          createdAt: clock.now(),
        });
      });
      return issueSession(user, client);
    },

    /** Unknown email and wrong password are indistinguishable to the caller, by answer and by time. */
    async login(input: { email: string; password: string }, client: ClientInfo) {
      const email = normalizeEmail(input.email);
      const now = clock.now();
      await deps.throttle.beforeAttempt(email, client.ip, now);
      const found = await store.users.findByEmailWithSecret(email);
      const ok = await hasher.verify(found?.passwordHash ?? (await getDummyHash()), input.password);
      if (!found || !ok) {
        await deps.throttle.recordFailure(email, now);
        throw new DomainError("INVALID_CREDENTIALS", "Email or password is incorrect");
      }
      await deps.throttle.recordSuccess(email);
      const { passwordHash: _hash, ...user } = found;
      return issueSession(user, client);
    },

    async logout(sessionId: string) {
      await store.sessions.revoke(sessionId, clock.now());
    },

    /**
     * Changes the password and ends every session of the user. A browser caller gets a fresh session
     * back; a token caller gets none (tokens are not sessions and stay valid).
     */
    async changePassword(
      actor: Actor,
      input: { currentPassword: string; newPassword: string },
      client: ClientInfo,
    ) {
      const hash = await store.users.findPasswordHash(actor.user.id);
      if (!hash || !(await hasher.verify(hash, input.currentPassword))) {
        throw new DomainError("VALIDATION_FAILED", "Current password is incorrect", {
          fields: [{ field: "currentPassword", detail: "does not match the current password" }],
        });
      }
      await store.users.updatePasswordHash(actor.user.id, await hasher.hash(input.newPassword));
      await store.sessions.revokeAllForUser(actor.user.id, clock.now());
      return actor.via.kind === "session" ? issueSession(actor.user, client) : undefined;
    },

    /** Resolves a session cookie to an actor, or undefined if it is invalid, revoked or expired. */
    async authenticateSession(token: string): Promise<Actor | undefined> {
      const claims = await deps.sessions.verify(token);
      if (!claims) return undefined;
      const session = await store.sessions.findActive(claims.sessionId, clock.now());
      if (!session || session.userId !== claims.userId) return undefined;
      const user = await store.users.findById(session.userId);
      if (!user) return undefined;
      return {
        user,
        scopes: scopesForRole(user.role),
        via: { kind: "session", sessionId: session.id },
      };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
