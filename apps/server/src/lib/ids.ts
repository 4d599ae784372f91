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

/** Random base32 text: 5 bits per character from a cryptographic source. */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) & 31];
  return out;
}

/** An opaque id such as `usr_4k9...`: 20 random base32 characters (100 bits). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase32(20)}`;
}
