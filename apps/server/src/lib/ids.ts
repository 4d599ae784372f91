import { randomBytes } from "node:crypto";

/** Prefixes name what an id points at, so a misplaced id is obvious in logs and errors. */
export const ID_PREFIXES = {
  user: "usr",
  session: "ses",
  token: "pat",
  org: "org",
  invitation: "inv",
  request: "req",
  server: "srv",
  instance: "ins",
  job: "job",
  serverKey: "key",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/**
 * Cryptographic random bytes drawn from a pool refilled 4 KiB at a time: one `randomBytes` call
 * per id cost about 2% of the gateway's CPU (an id per request). Bytes are never handed out twice.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

/** Random base32 text: 5 bits per character from a cryptographic source. */
export function randomBase32(length: number): string {
  if (length > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} characters`);
  if (poolOffset + length > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(pool[poolOffset + i] as number) & 31];
  // Spent bytes are zeroed, so nothing can read an id again off the pool.
  pool.fill(0, poolOffset, poolOffset + length);
  poolOffset += length;
  return out;
}

/** An opaque id such as `usr_4k9...`: 20 random base32 characters (100 bits). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase32(20)}`;
}
