/**
 * The `sub` claim (dex v2.45.1 `server/oauth2.go` `genSubject`): dex's protobuf encoding of (user id, connector id), base64url without
 * padding. Also used for introspection `sub`, logout `id_token_hint` and the gRPC refresh-token user id.
 */

import { decodeProtoPair, encodeProtoPair } from './proto-pair.js';

/** `encodeSubject('2342749', 'github')` → `CgcyMzQyNzQ5EgZnaXRodWI`. An empty connector id is omitted. */
export function encodeSubject(userId: string, connectorId: string): string {
  return encodeProtoPair(userId, connectorId);
}

/** The inverse of `encodeSubject`; throws when `sub` is not a well-formed encoded subject. */
export function decodeSubject(sub: string): { userId: string; connectorId: string } {
  if (sub === '') throw new Error('decode subject: empty');
  try {
    const [userId, connectorId] = decodeProtoPair(sub);
    return { userId, connectorId };
  } catch (err) {
    throw new Error('decode subject: malformed', { cause: err });
  }
}
