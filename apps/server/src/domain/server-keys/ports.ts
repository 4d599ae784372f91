/** A key that lets MCP clients through the gateway to one server. Never holds the key itself. */
export interface ServerKeyRecord {
  id: string;
  serverId: string;
  name: string;
  /** The first characters of the key, so a user can tell keys apart without seeing them. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Storage for server keys. Implemented in db/repositories/server-key-repository.ts. */
export interface ServerKeyRepository {
  insert(key: ServerKeyRecord & { keyHash: string }): Promise<void>;
  /** The server's unrevoked keys, newest first. */
  listActive(serverId: string): Promise<ServerKeyRecord[]>;
  countActive(serverId: string): Promise<number>;
  /**
   * Locks the server's row until the transaction ends, so concurrent creates count keys exactly.
   * False when the server does not exist (any more).
   */
  lockServer(serverId: string): Promise<boolean>;
  /** The unrevoked key with this hash, whichever server it belongs to. */
  findActiveByHash(keyHash: string): Promise<ServerKeyRecord | undefined>;
  /**
   * Gives an unrevoked key of the server a new secret (the old hash stops matching at once) and
   * clears its last use. Undefined when there is no such key.
   */
  replaceSecret(
    serverId: string,
    id: string,
    secret: { keyHash: string; prefix: string },
  ): Promise<ServerKeyRecord | undefined>;
  /** False when the key does not exist, is another server's, or is already revoked. */
  revoke(serverId: string, id: string, now: Date): Promise<boolean>;
  touch(id: string, now: Date): Promise<void>;
}
