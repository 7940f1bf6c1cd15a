/**
 * Ferry's entities in dex v2.45.1's SQL rows (`storage/sql/crud.go` at that tag): one `EntityFormat` per kind,
 * over logical row values (./columns.ts turns them into each dialect's encodings). Fields dex has no column for go
 * to `ferry_ext` (./tables.ts); Ferry-only kinds go to the `ferry_document` sidecar as JSON.
 *
 * dex's JSON shapes: lists of strings, `null` when empty; offline sessions' `refresh` maps a client id to
 * `{"ID","ClientID","CreatedAt","LastUsed"}` (Go field names, RFC 3339 times); keys are go-jose JWK JSON and the
 * verification keys `[{"publicKey","expiry"}]`, or `null` while there are none. Passwords are keyed, and
 * stored, by lower-cased e-mail, as dex does.
 */

import type { JWK } from 'jose';
import { own } from '../../lib/own.js';
import type { EntityFormat, EntityTypes, Format } from '../document/backend.js';
import { compositeKey, KEYS_KEY, passwordKey } from '../document/entity-codec.js';
import { bool, bytes, date, list, nullable, num, object, record, str } from '../document/fields.js';
import { JSON_CODECS, sidecarFormat } from '../document/json-format.js';
import { isoText } from '../document/time-text.js';
import type { AuthCode, AuthRequest, Client, Connector, RefreshTokenRef, VerificationKey } from '../types.js';
import { type DexRef, refsCodec } from './offline-refs.js';
import * as r from './row-fields.js';

type Row = r.Row;
type Of<K extends keyof EntityTypes> = EntityFormat<EntityTypes[K], Row>;
const never = (): null => null;
const strs = list(str());

const clientExt = r.extColumn(
  object<Omit<Client, 'id' | 'secret' | 'redirectURIs' | 'trustedPeers' | 'public' | 'name' | 'logoURL'>>({
    allowedConnectors: strs,
    postLogoutRedirectURIs: strs,
    backchannelLogoutURI: str(),
    refreshTokenLifetime: str(),
    clientCredentialsClaims: nullable(object<{ groups: string[] }>({ groups: strs })),
    ssoSharedWith: nullable(strs),
    mfaChain: nullable(strs),
  }),
);

const client: Of<'client'> = {
  kind: 'client',
  key: (c) => c.id,
  expiry: never,
  encode: ({ id, secret, redirectURIs, trustedPeers, public: pub, name, logoURL, ...ext }) => ({
    id, secret, redirect_uris: r.stringsOrNull(redirectURIs), trusted_peers: r.stringsOrNull(trustedPeers), public: pub, name,
    logo_url: logoURL, ferry_ext: clientExt.write(ext),
  }),
  decode: (row) => ({
    id: r.text(row.id), secret: r.text(row.secret), redirectURIs: r.strings(row.redirect_uris), trustedPeers: r.strings(row.trusted_peers),
    public: r.flag(row.public), name: r.text(row.name), logoURL: r.text(row.logo_url), ...clientExt.read(row.ferry_ext),
  }),
};

type AuthRequestExt = Pick<
  AuthRequest,
  'prompt' | 'maxAge' | 'authTime' | 'mfaValidated' | 'browserBinding' | 'responseMode' | 'webauthnSessionData' | 'mfaMethods'
>;
const authRequestExt = r.extColumn(
  object<AuthRequestExt>({
    prompt: strs, maxAge: num(-1), authTime: nullable(date()), mfaValidated: bool(), browserBinding: str(), responseMode: str(),
    webauthnSessionData: nullable(bytes()), mfaMethods: strs,
  }),
);

const authRequest: Of<'auth_request'> = {
  kind: 'auth_request',
  key: (a) => a.id,
  expiry: (a) => a.expiry,
  encode: (a) => ({
    id: a.id, client_id: a.clientId, response_types: r.stringsOrNull(a.responseTypes), scopes: r.stringsOrNull(a.scopes),
    redirect_uri: a.redirectURI, nonce: a.nonce, state: a.state, force_approval_prompt: a.forceApprovalPrompt,
    logged_in: a.loggedIn, ...r.claimsRow(a.claims), connector_id: a.connectorId, connector_data: r.toBytes(a.connectorData),
    expiry: a.expiry, ...r.pkceRow(a.pkce), hmac_key: r.toBytes(a.hmacKey),
    ferry_ext: authRequestExt.write({
      prompt: a.prompt, maxAge: a.maxAge, authTime: a.authTime, mfaValidated: a.mfaValidated, browserBinding: a.browserBinding,
      responseMode: a.responseMode, webauthnSessionData: a.webauthnSessionData, mfaMethods: a.mfaMethods,
    }),
  }),
  decode: (row) => ({
    id: r.text(row.id), clientId: r.text(row.client_id), responseTypes: r.strings(row.response_types), scopes: r.strings(row.scopes),
    redirectURI: r.text(row.redirect_uri), nonce: r.text(row.nonce), state: r.text(row.state),
    forceApprovalPrompt: r.flag(row.force_approval_prompt), expiry: r.time(row.expiry), loggedIn: r.flag(row.logged_in),
    claims: r.claimsOf(row), connectorId: r.text(row.connector_id), connectorData: r.bytesOrNull(row.connector_data),
    pkce: r.pkceOf(row), hmacKey: r.bytes(row.hmac_key), ...authRequestExt.read(row.ferry_ext),
  }),
};

const authCodeExt = r.extColumn(object<Pick<AuthCode, 'authTime' | 'sessionId'>>({ authTime: nullable(date()), sessionId: str() }));

const authCode: Of<'auth_code'> = {
  kind: 'auth_code',
  key: (c) => c.id,
  expiry: (c) => c.expiry,
  encode: (c) => ({
    id: c.id, client_id: c.clientId, scopes: r.stringsOrNull(c.scopes), nonce: c.nonce, redirect_uri: c.redirectURI,
    ...r.claimsRow(c.claims), connector_id: c.connectorId, connector_data: r.toBytes(c.connectorData), expiry: c.expiry,
    ...r.pkceRow(c.pkce), ferry_ext: authCodeExt.write({ authTime: c.authTime, sessionId: c.sessionId }),
  }),
  decode: (row) => ({
    id: r.text(row.id), clientId: r.text(row.client_id), redirectURI: r.text(row.redirect_uri), nonce: r.text(row.nonce),
    scopes: r.strings(row.scopes), connectorId: r.text(row.connector_id), connectorData: r.bytesOrNull(row.connector_data),
    claims: r.claimsOf(row), expiry: r.time(row.expiry), pkce: r.pkceOf(row), ...authCodeExt.read(row.ferry_ext),
  }),
};

const sessionExt = r.extColumn(object<{ sessionId: string }>({ sessionId: str() }));

const refreshToken: Of<'refresh_token'> = {
  kind: 'refresh_token',
  key: (t) => t.id,
  expiry: never,
  encode: (t) => ({
    id: t.id, client_id: t.clientId, scopes: r.stringsOrNull(t.scopes), nonce: t.nonce, ...r.claimsRow(t.claims),
    connector_id: t.connectorId, connector_data: r.toBytes(t.connectorData), token: t.token, obsolete_token: t.obsoleteToken,
    created_at: t.createdAt, last_used: t.lastUsed, ferry_ext: sessionExt.write({ sessionId: t.sessionId }),
  }),
  decode: (row) => ({
    id: r.text(row.id), token: r.text(row.token), obsoleteToken: r.text(row.obsolete_token), createdAt: r.time(row.created_at),
    lastUsed: r.time(row.last_used), clientId: r.text(row.client_id), connectorId: r.text(row.connector_id),
    connectorData: r.bytesOrNull(row.connector_data), claims: r.claimsOf(row), scopes: r.strings(row.scopes), nonce: r.text(row.nonce),
    ...sessionExt.read(row.ferry_ext),
  }),
};

const password: Of<'password'> = {
  kind: 'password',
  key: (p) => passwordKey(p.email),
  expiry: never,
  encode: (p) => ({
    email: passwordKey(p.email), hash: Buffer.from(p.hash, 'utf8'), username: p.username, preferred_username: p.preferredUsername,
    user_id: p.userId, groups: r.stringsOrNull(p.groups), name: p.name, email_verified: p.emailVerified,
  }),
  decode: (row) => ({
    email: r.text(row.email), hash: r.utf8(row.hash), username: r.text(row.username), userId: r.text(row.user_id),
    preferredUsername: r.text(row.preferred_username), groups: r.strings(row.groups), name: r.text(row.name),
    emailVerified: typeof row.email_verified === 'boolean' ? row.email_verified : null,
  }),
};

const refs = r.extColumn(object<{ sessionIds: Record<string, string> }>({ sessionIds: record(str()) }));
const goDate = date(0);
const goTime = (v: unknown): Date => goDate.dec(v);
const refsText = refsCodec();

const dexRef = (ref: RefreshTokenRef): DexRef => ({ ID: ref.id, ClientID: ref.clientId, CreatedAt: isoText(ref.createdAt), LastUsed: isoText(ref.lastUsed) });

function refsOf(raw: Record<string, DexRef>, ext: unknown): Record<string, RefreshTokenRef> {
  const { sessionIds } = refs.read(ext);
  const refresh: Record<string, RefreshTokenRef> = {};
  for (const [clientId, ref] of Object.entries(raw)) {
    refresh[clientId] = {
      id: r.text(ref.ID), clientId: r.text(ref.ClientID), createdAt: goTime(ref.CreatedAt), lastUsed: goTime(ref.LastUsed),
      sessionId: own(sessionIds, clientId) ?? '',
    };
  }
  return refresh;
}

const offlineSession: Of<'offline_session'> = {
  kind: 'offline_session',
  key: (s) => compositeKey(s.userId, s.connId),
  expiry: never,
  encode: (s) => {
    const sessionIds: Record<string, string> = {};
    for (const [clientId, ref] of Object.entries(s.refresh)) if (ref.sessionId !== '') sessionIds[clientId] = ref.sessionId;
    const ext = refs.write({ sessionIds });
    const refresh = refsText.encode(compositeKey(s.userId, s.connId), s.refresh, ext, dexRef);
    return { user_id: s.userId, conn_id: s.connId, refresh, connector_data: r.toBytes(s.connectorData), ferry_ext: ext };
  },
  decode: (row) => {
    const userId = r.text(row.user_id);
    const connId = r.text(row.conn_id);
    // A part read (the connector data alone) has no `refresh` column: nothing to decode, nothing to remember.
    const refresh = row.refresh === undefined ? {} : refsText.decode(compositeKey(userId, connId), r.text(row.refresh), row.ferry_ext, refsOf);
    return { userId, connId, refresh, connectorData: r.bytesOrNull(row.connector_data) };
  },
};

const connectorExt = r.extColumn(object<Pick<Connector, 'grantTypes'>>({ grantTypes: strs }));

const connector: Of<'connector'> = {
  kind: 'connector',
  key: (c) => c.id,
  expiry: never,
  encode: (c) => ({
    id: c.id, type: c.type, name: c.name, resource_version: c.resourceVersion, config: Buffer.from(c.config, 'utf8'),
    ferry_ext: connectorExt.write({ grantTypes: c.grantTypes }),
  }),
  decode: (row) => ({
    id: r.text(row.id), type: r.text(row.type), name: r.text(row.name), resourceVersion: r.text(row.resource_version),
    config: r.utf8(row.config), ...connectorExt.read(row.ferry_ext),
  }),
};

const jwk = (v: unknown): JWK | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JWK) : null);

const keys: Of<'keys'> = {
  kind: 'keys',
  key: () => KEYS_KEY,
  expiry: never,
  encode: (k) => ({
    id: KEYS_KEY, signing_key: k.signingKey, signing_key_pub: k.signingKeyPub, next_rotation: k.nextRotation,
    verification_keys: k.verificationKeys.length === 0 ? null : k.verificationKeys.map((v) => ({ publicKey: v.publicKey, expiry: isoText(v.expiry) })),
  }),
  decode: (row) => ({
    signingKey: jwk(row.signing_key),
    signingKeyPub: jwk(row.signing_key_pub),
    verificationKeys: (Array.isArray(row.verification_keys) ? (row.verification_keys as { publicKey?: unknown; expiry?: unknown }[]) : [])
      .filter((v) => jwk(v.publicKey) !== null)
      .map((v): VerificationKey => ({ publicKey: jwk(v.publicKey)!, expiry: goTime(v.expiry) })),
    nextRotation: r.time(row.next_rotation),
  }),
};

const deviceRequest: Of<'device_request'> = {
  kind: 'device_request',
  key: (d) => d.userCode,
  expiry: (d) => d.expiry,
  encode: (d) => ({
    user_code: d.userCode, device_code: d.deviceCode, client_id: d.clientId, client_secret: d.clientSecret, scopes: r.stringsOrNull(d.scopes), expiry: d.expiry,
  }),
  decode: (row) => ({
    userCode: r.text(row.user_code), deviceCode: r.text(row.device_code), clientId: r.text(row.client_id),
    clientSecret: r.text(row.client_secret), scopes: r.strings(row.scopes), expiry: r.time(row.expiry),
  }),
};

const deviceToken: Of<'device_token'> = {
  kind: 'device_token',
  key: (t) => t.deviceCode,
  expiry: (t) => t.expiry,
  encode: (t) => ({
    device_code: t.deviceCode, status: t.status, token: t.token === '' ? null : Buffer.from(t.token, 'utf8'), expiry: t.expiry,
    last_request: t.lastRequestTime, poll_interval: t.pollIntervalSeconds, ...r.pkceRow(t.pkce),
  }),
  decode: (row) => ({
    deviceCode: r.text(row.device_code), status: r.text(row.status), token: r.utf8(row.token), expiry: r.time(row.expiry),
    lastRequestTime: r.time(row.last_request), pollIntervalSeconds: r.int(row.poll_interval), pkce: r.pkceOf(row),
  }),
};

const inSidecar = <K extends 'revoked_token' | 'throttle' | 'user_identity' | 'auth_session' | 'logout_delivery' | 'access_token'>(
  kind: K,
): Of<K> =>
  sidecarFormat<EntityTypes[K], Row>(JSON_CODECS[kind], (doc) => ({ doc }), (row) => r.text(row.doc));

/** dex v2.45.1's SQL representation, plus the sidecar for Ferry-only kinds. */
export const dexSqlFormat: Format<Row> = {
  client,
  auth_request: authRequest,
  auth_code: authCode,
  refresh_token: refreshToken,
  password,
  offline_session: offlineSession,
  connector,
  keys,
  device_request: deviceRequest,
  device_token: deviceToken,
  revoked_token: inSidecar('revoked_token'),
  throttle: inSidecar('throttle'),
  user_identity: inSidecar('user_identity'),
  auth_session: inSidecar('auth_session'),
  logout_delivery: inSidecar('logout_delivery'),
  access_token: inSidecar('access_token'),
};
