import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { SessionCodec } from "../domain/accounts/ports.js";

const ALGORITHM = "HS256";
const ISSUER = "mcphost";
const AUDIENCE = "mcphost:session";

/**
 * Session credentials as JWTs signed with a key derived from MCPHOST_SECRET_KEY (HKDF, so the same
 * secret can later key other things without reuse). Verification pins the algorithm, issuer and
 * audience and checks `exp`; the session row is checked separately so logout takes effect at once.
 */
export function createJwtSessionCodec(secretKey: string): SessionCodec {
  const key = new Uint8Array(hkdfSync("sha256", secretKey, "", "mcphost/session-jwt/v1", 32));
  return {
    async sign({ userId, sessionId, expiresAt }) {
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["sub", "exp", "sid"],
        });
        if (typeof payload.sid !== "string" || typeof payload.sub !== "string") return undefined;
        return { userId: payload.sub, sessionId: payload.sid };
      } catch {
        return undefined;
      }
    },
  };
}
