/**
 * The shape of an entity codec plus the pieces several codecs share (claims, PKCE, key helpers).
 *
 * Keys: passwords are keyed by lower-cased email; offline sessions and user identities by the JSON array
 * `[userId, connectorId]`, which is unambiguous whatever characters the two ids contain.
 */

import type { Claims, Keys, PKCE } from '../types.js';
import type { DocumentKind } from './backend.js';
import { bool, type Field, list, object, str } from './fields.js';

/** How one entity is stored: its kind, its key, its JSON field map and its GC expiry (null = never collected). */
export interface EntityCodec<T> {
  kind: DocumentKind;
  key(value: T): string;
  field: Field<T>;
  expiry(value: T): Date | null;
}

/** The key of an entity stored per (user, connector). */
export const compositeKey = (userId: string, connectorId: string): string => JSON.stringify([userId, connectorId]);

/** The key of a password (emails match case-insensitively). */
export const passwordKey = (email: string): string => email.toLowerCase();

/** The single key the keys record is stored under. */
export const KEYS_KEY = 'keys';

export const never = (): null => null;
export const strings = list(str());

export const claims = object<Claims>({
  userId: str(),
  username: str(),
  preferredUsername: str(),
  email: str(),
  emailVerified: bool(),
  groups: strings,
});

export const pkce = object<PKCE>({ codeChallenge: str(), codeChallengeMethod: str() });

/** The empty keys record returned before the first rotation. */
export const emptyKeys = (): Keys => ({
  signingKey: null,
  signingKeyPub: null,
  verificationKeys: [],
  nextRotation: new Date(0),
});
