/**
 * The refresh token as clients see it (dex v2.45.1 `server/internal/codec.go`): base64url (no padding) of protobuf
 * {1: refresh id, 2: secret}. A value that does not decode is a legacy raw refresh id with an empty secret,
 * which can never match a stored secret.
 */

import { decodeProtoPair, encodeProtoPair } from './proto-pair.js';

export function encodeRefreshToken(id: string, secret: string): string {
  return encodeProtoPair(id, secret);
}

export function decodeRefreshToken(value: string): { id: string; secret: string } {
  try {
    const [id, secret] = decodeProtoPair(value);
    return { id, secret };
  } catch {
    return { id: value, secret: '' };
  }
}
