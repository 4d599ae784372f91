import type { Scope } from "../accounts/scopes.js";
import type { User } from "../accounts/user.js";

/** Who is making a request, and with which credential. Built once per request by the HTTP edge. */
export interface Actor {
  user: User;
  /** Effective scopes: a token's own scopes, narrowed to what the user's role allows. */
  scopes: ReadonlySet<Scope>;
  via: { kind: "session"; sessionId: string } | { kind: "token"; tokenId: string };
}

/** Resources are owned by a user or by an organization; nothing else. */
export type OwnerRef = { kind: "user"; userId: string } | { kind: "org"; orgId: string };
