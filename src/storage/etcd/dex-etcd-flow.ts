/**
 * The auth-flow entities as dex stores them in etcd: the JSON of dex v2.45.1 storage/etcd/types.go (clients are
 * `storage.Client` marshalled directly, dex v2.45.1 storage/storage.go), at dex's keys (storage/etcd/etcd.go).
 * Fields only dex HEAD has (sessions, MFA, prompt/max_age) use HEAD's names, which dex v2.45.1 ignores on read;
 * what neither dex has sits in one `ferry` object, also ignored by dex.
 */

import type { AuthCode, AuthRequest, Client, DeviceRequest, DeviceToken, OfflineSessions, RefreshToken } from '../types.js';
import { decodeClaims, decodeRefreshRef, encodeClaims, encodeRefreshRef } from './dex-shared.js';
import {
  asObject,
  goBytes,
  goTime,
  goTimeOrZero,
  type JsonObject,
  omitEmpty,
  readBool,
  readBytes,
  readBytesOrNull,
  readMap,
  readNum,
  readStr,
  readStrs,
  readStrsOrNull,
  readTime,
  readTimeOrNull,
} from './go-json.js';

/** One entity kind in dex's etcd layout: its key (without the namespace) and its JSON value. */
export interface EtcdCodec<T> {
  key(value: T): string;
  encode(value: T): JsonObject;
  decode(raw: unknown): T;
}

/** dex lower-cases the `userID|connID` pair of offline sessions (and HEAD of user identities). */
export const pairKey = (prefix: string, userId: string, connectorId: string): string =>
  prefix + `${userId}|${connectorId}`.toLowerCase();

const pkceFields = (p: { codeChallenge: string; codeChallengeMethod: string }) => ({
  code_challenge: p.codeChallenge,
  code_challenge_method: p.codeChallengeMethod,
});
const readPkce = (o: JsonObject) => ({ codeChallenge: readStr(o.code_challenge), codeChallengeMethod: readStr(o.code_challenge_method) });

/** `storage.Client`; HEAD's fields after v2.45.1's. */
export const etcdClient: EtcdCodec<Client> = {
  key: (c) => `client/${c.id}`,
  encode: (c) =>
    omitEmpty(
      {
        id: c.id,
        idEnv: '',
        secret: c.secret,
        secretEnv: '',
        redirectURIs: c.redirectURIs,
        postLogoutRedirectURIs: c.postLogoutRedirectURIs,
        backchannelLogoutURI: c.backchannelLogoutURI,
        refreshTokenLifetime: c.refreshTokenLifetime,
        trustedPeers: c.trustedPeers,
        public: c.public,
        name: c.name,
        logoURL: c.logoURL,
        allowedConnectors: c.allowedConnectors,
        mfaChain: c.mfaChain,
        ssoSharedWith: c.ssoSharedWith,
        clientCredentialsClaims: c.clientCredentialsClaims ? omitEmpty({ groups: c.clientCredentialsClaims.groups }, ['groups']) : null,
      },
      ['clientCredentialsClaims'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    const ccc = o.clientCredentialsClaims;
    return {
      id: readStr(o.id),
      secret: readStr(o.secret),
      redirectURIs: readStrs(o.redirectURIs),
      trustedPeers: readStrs(o.trustedPeers),
      public: readBool(o.public),
      name: readStr(o.name),
      logoURL: readStr(o.logoURL),
      allowedConnectors: readStrs(o.allowedConnectors),
      postLogoutRedirectURIs: readStrs(o.postLogoutRedirectURIs),
      backchannelLogoutURI: readStr(o.backchannelLogoutURI),
      refreshTokenLifetime: readStr(o.refreshTokenLifetime),
      clientCredentialsClaims: ccc && typeof ccc === 'object' ? { groups: readStrs(asObject(ccc).groups) } : null,
      ssoSharedWith: readStrsOrNull(o.ssoSharedWith),
      mfaChain: readStrsOrNull(o.mfaChain),
    };
  },
};

/** Ferry-only fields, kept in a `ferry` object dex never reads. */
const ferryExtra = (fields: JsonObject): JsonObject | undefined => {
  const o = omitEmpty({ ...fields }, Object.keys(fields));
  return Object.keys(o).length > 0 ? o : undefined;
};

const splitPrompt = (raw: unknown): string[] => readStr(raw).split(' ').filter(Boolean);

/** etcd `AuthRequest`; HEAD adds mfa_validated, prompt (space-separated), max_age and auth_time. */
export const etcdAuthRequest: EtcdCodec<AuthRequest> = {
  key: (a) => `auth_req/${a.id}`,
  encode: (a) =>
    omitEmpty(
      {
        id: a.id,
        client_id: a.clientId,
        response_types: a.responseTypes,
        scopes: a.scopes,
        redirect_uri: a.redirectURI,
        nonce: a.nonce,
        state: a.state,
        force_approval_prompt: a.forceApprovalPrompt,
        expiry: goTime(a.expiry),
        logged_in: a.loggedIn,
        claims: encodeClaims(a.claims),
        connector_id: a.connectorId,
        connector_data: goBytes(a.connectorData),
        ...pkceFields(a.pkce),
        hmac_key: goBytes(a.hmacKey),
        mfa_validated: a.mfaValidated,
        webauthn_session_data: goBytes(a.webauthnSessionData),
        prompt: a.prompt.join(' '),
        max_age: a.maxAge,
        auth_time: goTimeOrZero(a.authTime),
        ferry: ferryExtra({ browserBinding: a.browserBinding, responseMode: a.responseMode, mfaMethods: a.mfaMethods }),
      },
      ['code_challenge', 'code_challenge_method', 'webauthn_session_data', 'prompt', 'ferry'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    const f = asObject(o.ferry);
    return {
      id: readStr(o.id),
      clientId: readStr(o.client_id),
      responseTypes: readStrs(o.response_types),
      scopes: readStrs(o.scopes),
      redirectURI: readStr(o.redirect_uri),
      nonce: readStr(o.nonce),
      state: readStr(o.state),
      forceApprovalPrompt: readBool(o.force_approval_prompt),
      expiry: readTime(o.expiry),
      loggedIn: readBool(o.logged_in),
      claims: decodeClaims(o.claims),
      connectorId: readStr(o.connector_id),
      connectorData: readBytesOrNull(o.connector_data),
      pkce: readPkce(o),
      hmacKey: readBytes(o.hmac_key),
      prompt: splitPrompt(o.prompt),
      // dex v2.45.1 has no max_age: absent means "not requested" (-1), as HEAD treats it
      maxAge: readNum(o.max_age, -1),
      authTime: readTimeOrNull(o.auth_time),
      mfaValidated: readBool(o.mfa_validated),
      browserBinding: readStr(f.browserBinding),
      responseMode: readStr(f.responseMode),
      webauthnSessionData: readBytesOrNull(o.webauthn_session_data),
      mfaMethods: readStrs(f.mfaMethods),
    };
  },
};

/** etcd `AuthCode` (its id field is `ID`); HEAD adds auth_time and session_id. */
export const etcdAuthCode: EtcdCodec<AuthCode> = {
  key: (c) => `auth_code/${c.id}`,
  encode: (c) =>
    omitEmpty(
      {
        ID: c.id,
        clientID: c.clientId,
        redirectURI: c.redirectURI,
        nonce: c.nonce,
        scopes: c.scopes,
        connectorID: c.connectorId,
        connectorData: goBytes(c.connectorData),
        claims: encodeClaims(c.claims),
        expiry: goTime(c.expiry),
        ...pkceFields(c.pkce),
        auth_time: goTimeOrZero(c.authTime),
        session_id: c.sessionId,
      },
      ['nonce', 'scopes', 'connectorID', 'connectorData', 'code_challenge', 'code_challenge_method', 'session_id'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      id: readStr(o.ID),
      clientId: readStr(o.clientID),
      redirectURI: readStr(o.redirectURI),
      nonce: readStr(o.nonce),
      scopes: readStrs(o.scopes),
      connectorId: readStr(o.connectorID),
      connectorData: readBytesOrNull(o.connectorData),
      claims: decodeClaims(o.claims),
      expiry: readTime(o.expiry),
      pkce: readPkce(o),
      authTime: readTimeOrNull(o.auth_time),
      sessionId: readStr(o.session_id),
    };
  },
};

/** etcd `RefreshToken`. Neither dex stores a session id on the token itself: Ferry's goes in `ferry`. */
export const etcdRefreshToken: EtcdCodec<RefreshToken> = {
  key: (r) => `refresh_token/${r.id}`,
  encode: (r) =>
    omitEmpty(
      {
        id: r.id,
        token: r.token,
        obsolete_token: r.obsoleteToken,
        created_at: goTime(r.createdAt),
        last_used: goTime(r.lastUsed),
        client_id: r.clientId,
        connector_id: r.connectorId,
        connector_data: goBytes(r.connectorData),
        claims: encodeClaims(r.claims),
        scopes: r.scopes,
        nonce: r.nonce,
        ferry: ferryExtra({ sessionId: r.sessionId }),
      },
      ['ferry'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      id: readStr(o.id),
      token: readStr(o.token),
      obsoleteToken: readStr(o.obsolete_token),
      createdAt: readTime(o.created_at),
      lastUsed: readTime(o.last_used),
      clientId: readStr(o.client_id),
      connectorId: readStr(o.connector_id),
      connectorData: readBytesOrNull(o.connector_data),
      claims: decodeClaims(o.claims),
      scopes: readStrs(o.scopes),
      nonce: readStr(o.nonce),
      sessionId: readStr(asObject(o.ferry).sessionId),
    };
  },
};

/** etcd `OfflineSessions` (all four fields `omitempty`). */
export const etcdOfflineSessions: EtcdCodec<OfflineSessions> = {
  key: (s) => pairKey('offline_session/', s.userId, s.connId),
  encode: (s) =>
    omitEmpty(
      {
        user_id: s.userId,
        conn_id: s.connId,
        refresh: Object.fromEntries(Object.entries(s.refresh).map(([k, r]) => [k, encodeRefreshRef(r)])),
        connectorData: goBytes(s.connectorData),
      },
      ['user_id', 'conn_id', 'refresh', 'connectorData'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      userId: readStr(o.user_id),
      connId: readStr(o.conn_id),
      refresh: readMap(o.refresh, decodeRefreshRef),
      connectorData: readBytesOrNull(o.connectorData),
    };
  },
};

/** etcd `DeviceRequest`, keyed by user code. */
export const etcdDeviceRequest: EtcdCodec<DeviceRequest> = {
  key: (d) => `device_req/${d.userCode}`,
  encode: (d) => ({
    user_code: d.userCode,
    device_code: d.deviceCode,
    client_id: d.clientId,
    client_secret: d.clientSecret,
    scopes: d.scopes,
    expiry: goTime(d.expiry),
  }),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      userCode: readStr(o.user_code),
      deviceCode: readStr(o.device_code),
      clientId: readStr(o.client_id),
      clientSecret: readStr(o.client_secret),
      scopes: readStrs(o.scopes),
      expiry: readTime(o.expiry),
    };
  },
};

/** etcd `DeviceToken`, keyed by device code. */
export const etcdDeviceToken: EtcdCodec<DeviceToken> = {
  key: (t) => `device_token/${t.deviceCode}`,
  encode: (t) =>
    omitEmpty(
      {
        device_code: t.deviceCode,
        status: t.status,
        token: t.token,
        expiry: goTime(t.expiry),
        last_request: goTime(t.lastRequestTime),
        poll_interval: t.pollIntervalSeconds,
        ...pkceFields(t.pkce),
      },
      ['code_challenge', 'code_challenge_method'],
    ),
  decode: (raw) => {
    const o = asObject(raw);
    return {
      deviceCode: readStr(o.device_code),
      status: readStr(o.status),
      token: readStr(o.token),
      expiry: readTime(o.expiry),
      lastRequestTime: readTime(o.last_request),
      pollIntervalSeconds: readNum(o.poll_interval),
      pkce: readPkce(o),
    };
  },
};
