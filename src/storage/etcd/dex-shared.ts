/**
 * Pieces of dex's storage JSON that its etcd values and Kubernetes objects share (dex v2.45.1
 * storage/etcd/types.go and storage/kubernetes/types.go declare them alike): the claims object, the
 * offline-session refresh map and the keys' JSON Web Keys, plus HEAD's (master) MFA and session sub-objects, whose
 * Go structs carry no JSON tags for most fields, so their names are the Go field names.
 */

import type { JWK } from 'jose';
import type { BackupCodes, Claims, ClientAuthState, MFASecret, RefreshTokenRef, VerificationKey, WebAuthnCredential } from '../types.js';
import {
  asObject,
  goBytes,
  goTime,
  goTimeOrZero,
  isObject,
  type JsonObject,
  omitEmpty,
  readBool,
  readBytes,
  readNum,
  readStr,
  readStrs,
  readTime,
  readTimeOrNull,
} from './go-json.js';

/** dex `Claims` (groups is `omitempty`). */
export const encodeClaims = (c: Claims): JsonObject =>
  omitEmpty(
    {
      userID: c.userId,
      username: c.username,
      preferredUsername: c.preferredUsername,
      email: c.email,
      emailVerified: c.emailVerified,
      groups: c.groups,
    },
    ['groups'],
  );

export function decodeClaims(raw: unknown): Claims {
  const o = asObject(raw);
  return {
    userId: readStr(o.userID),
    username: readStr(o.username),
    preferredUsername: readStr(o.preferredUsername),
    email: readStr(o.email),
    emailVerified: readBool(o.emailVerified),
    groups: readStrs(o.groups),
  };
}

/** `storage.RefreshTokenRef` (no tags: Go field names; `SessionID` is HEAD's). */
export const encodeRefreshRef = (r: RefreshTokenRef): JsonObject => ({
  ID: r.id,
  ClientID: r.clientId,
  CreatedAt: goTime(r.createdAt),
  LastUsed: goTime(r.lastUsed),
  SessionID: r.sessionId,
});

export function decodeRefreshRef(raw: unknown): RefreshTokenRef {
  const o = asObject(raw);
  return {
    id: readStr(o.ID),
    clientId: readStr(o.ClientID),
    createdAt: readTime(o.CreatedAt),
    lastUsed: readTime(o.LastUsed),
    sessionId: readStr(o.SessionID),
  };
}

/** A go-jose `JSONWebKey` is a plain JWK object; anything else reads as absent. */
export const readJwk = (raw: unknown): JWK | null => (isObject(raw) && typeof raw.kty === 'string' ? (raw as JWK) : null);

/** `storage.VerificationKey` (tagged `publicKey`, `expiry`). */
export const encodeVerificationKey = (k: VerificationKey): JsonObject => ({ publicKey: k.publicKey, expiry: goTime(k.expiry) });

export function decodeVerificationKeys(raw: unknown): VerificationKey[] {
  const out: VerificationKey[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const o = asObject(item);
    const publicKey = readJwk(o.publicKey);
    if (publicKey) out.push({ publicKey, expiry: readTime(o.expiry) });
  }
  return out;
}

/** HEAD `storage.MFASecret` (tagged; `lastUsedCounter` is `omitempty`). */
export const encodeMfaSecret = (id: string, s: MFASecret): JsonObject =>
  omitEmpty(
    {
      authenticatorID: id,
      type: s.type,
      secret: s.secret,
      confirmed: s.confirmed,
      createdAt: goTime(s.createdAt),
      lastUsedCounter: s.lastUsedCounter,
    },
    ['lastUsedCounter'],
  );

export function decodeMfaSecret(raw: unknown): MFASecret {
  const o = asObject(raw);
  return {
    type: readStr(o.type),
    secret: readStr(o.secret),
    confirmed: readBool(o.confirmed),
    createdAt: readTime(o.createdAt),
    lastUsedCounter: readNum(o.lastUsedCounter),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ferry keeps credential ids base64url and AAGUIDs as UUID text; dex stores both as `[]byte`. */
function credentialIdBytes(id: string): Uint8Array {
  const decoded = Buffer.from(id, 'base64url');
  return decoded.toString('base64url') === id ? decoded : Buffer.from(id, 'utf8');
}

function aaguidBytes(aaguid: string): Uint8Array {
  return UUID.test(aaguid) ? Buffer.from(aaguid.replaceAll('-', ''), 'hex') : Buffer.from(aaguid, 'utf8');
}

function aaguidText(b: Uint8Array): string {
  if (b.length !== 16) return Buffer.from(b).toString('utf8');
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const credentialIdText = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/**
 * HEAD `storage.WebAuthnCredential` (tagged). Ferry's text forms of the credential id and AAGUID map to dex's
 * bytes; when a text would not come back unchanged from those bytes (not canonical base64url, an upper-case UUID),
 * the exact text is kept in a `ferry` object beside them, which dex ignores.
 */
export function encodeWebAuthn(c: WebAuthnCredential): JsonObject {
  const id = credentialIdBytes(c.credentialId);
  const aaguid = aaguidBytes(c.aaguid);
  const exact = omitEmpty(
    {
      credentialId: credentialIdText(id) === c.credentialId ? '' : c.credentialId,
      aaguid: aaguidText(aaguid) === c.aaguid ? '' : c.aaguid,
    },
    ['credentialId', 'aaguid'],
  );
  return {
    credentialID: goBytes(id),
    publicKey: goBytes(c.publicKey),
    attestationType: c.attestationType,
    aaguid: goBytes(aaguid),
    signCount: c.signCount,
    cloneWarning: c.cloneWarning,
    transport: c.transport,
    backupEligible: c.backupEligible,
    backupState: c.backupState,
    displayName: c.displayName,
    createdAt: goTime(c.createdAt),
    ...(Object.keys(exact).length > 0 ? { ferry: exact } : {}),
  };
}

export function decodeWebAuthn(raw: unknown): WebAuthnCredential {
  const o = asObject(raw);
  const exact = asObject(o.ferry);
  const id = readBytes(o.credentialID);
  const aaguid = readBytes(o.aaguid);
  const keep = (text: unknown, bytes: Uint8Array, toBytes: (s: string) => Uint8Array): text is string =>
    typeof text === 'string' && Buffer.from(toBytes(text)).equals(Buffer.from(bytes));
  return {
    credentialId: keep(exact.credentialId, id, credentialIdBytes) ? exact.credentialId : credentialIdText(id),
    publicKey: readBytes(o.publicKey),
    attestationType: readStr(o.attestationType),
    aaguid: keep(exact.aaguid, aaguid, aaguidBytes) ? exact.aaguid : aaguidText(aaguid),
    signCount: readNum(o.signCount),
    cloneWarning: readBool(o.cloneWarning),
    transport: readStrs(o.transport),
    backupEligible: readBool(o.backupEligible),
    backupState: readBool(o.backupState),
    displayName: readStr(o.displayName),
    createdAt: readTime(o.createdAt),
  };
}

/** HEAD `storage.ClientAuthState` (no tags). */
export const encodeClientState = (s: ClientAuthState): JsonObject => ({
  AuthenticatedAt: goTime(s.authenticatedAt),
  LastActivity: goTime(s.lastActivity),
  LastTokenIssuedAt: goTimeOrZero(s.lastTokenIssuedAt),
  ViaSSO: s.viaSSO,
});

export function decodeClientState(raw: unknown): ClientAuthState {
  const o = asObject(raw);
  return {
    authenticatedAt: readTime(o.AuthenticatedAt),
    lastActivity: readTime(o.LastActivity),
    lastTokenIssuedAt: readTimeOrNull(o.LastTokenIssuedAt),
    viaSSO: readBool(o.ViaSSO),
  };
}

/** Ferry's backup codes (dex has none), kept in the identity's `ferry` object, which dex never reads. */
export const encodeBackupCodes = (b: BackupCodes | null): JsonObject | undefined =>
  b ? { backupCodes: { salt: b.salt, hashes: b.hashes, createdAt: goTime(b.createdAt) } } : undefined;

export function decodeBackupCodes(ferry: unknown): BackupCodes | null {
  const raw = asObject(ferry).backupCodes;
  if (!isObject(raw)) return null;
  return { salt: readStr(raw.salt), hashes: readStrs(raw.hashes), createdAt: readTime(raw.createdAt) };
}
