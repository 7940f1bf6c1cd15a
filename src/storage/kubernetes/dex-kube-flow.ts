/**
 * The auth-flow entities as dex stores them in Kubernetes: the object fields of dex v2.45.1
 * storage/kubernetes/types.go, named as dex names them (storage/kubernetes/storage.go): clients by dex's
 * `idToName` of the id, offline sessions by `offlineTokenName`, device requests by the lower-cased user code,
 * everything else by its id. Fields only dex HEAD has use HEAD's names; Ferry-only fields sit in one `ferry`
 * object. dex's CRDs preserve unknown fields and Go ignores them, so dex reads every object Ferry writes.
 */

import { decodeClaims, decodeRefreshRef, encodeClaims, encodeRefreshRef } from '../etcd/dex-shared.js';
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
} from '../etcd/go-json.js';
import type { AuthCode, AuthRequest, Client, DeviceRequest, DeviceToken, OfflineSessions, RefreshToken } from '../types.js';
import { idToName, pairName } from './names.js';

/**
 * One entity kind as a dex custom object: its `metadata.name`, its fields (everything but apiVersion, kind and
 * metadata) and the way back from a whole stored object.
 */
export interface KubeCodec<T> {
  name(value: T): string;
  encode(value: T): JsonObject;
  decode(object: JsonObject): T;
}

export const metaName = (o: JsonObject): string => readStr(asObject(o.metadata).name);

const pkceFields = (p: { codeChallenge: string; codeChallengeMethod: string }) => ({
  code_challenge: p.codeChallenge,
  code_challenge_method: p.codeChallengeMethod,
});
const readPkce = (o: JsonObject) => ({ codeChallenge: readStr(o.code_challenge), codeChallengeMethod: readStr(o.code_challenge_method) });

const ferryExtra = (fields: JsonObject): JsonObject | undefined => {
  const o = omitEmpty({ ...fields }, Object.keys(fields));
  return Object.keys(o).length > 0 ? o : undefined;
};

/** `OAuth2Client`; `mfaChain: []` is kept (not omitted) because Ferry tells "no MFA" from "default chain". */
export const kubeClient: KubeCodec<Client> = {
  name: (c) => idToName(c.id),
  encode: (c) => {
    const o = omitEmpty(
      {
        id: c.id,
        secret: c.secret,
        redirectURIs: c.redirectURIs,
        trustedPeers: c.trustedPeers,
        public: c.public,
        name: c.name,
        logoURL: c.logoURL,
        allowedConnectors: c.allowedConnectors,
        postLogoutRedirectURIs: c.postLogoutRedirectURIs,
        ssoSharedWith: c.ssoSharedWith,
        backchannelLogoutURI: c.backchannelLogoutURI,
        refreshTokenLifetime: c.refreshTokenLifetime,
        clientCredentialsClaims: c.clientCredentialsClaims ? omitEmpty({ groups: c.clientCredentialsClaims.groups }, ['groups']) : null,
      },
      ['id', 'secret', 'redirectURIs', 'trustedPeers', 'name', 'logoURL', 'allowedConnectors', 'postLogoutRedirectURIs', 'backchannelLogoutURI', 'refreshTokenLifetime', 'clientCredentialsClaims'],
    );
    return c.mfaChain === null ? o : { ...o, mfaChain: c.mfaChain };
  },
  decode: (o) => ({
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
    clientCredentialsClaims: o.clientCredentialsClaims && typeof o.clientCredentialsClaims === 'object' ? { groups: readStrs(asObject(o.clientCredentialsClaims).groups) } : null,
    ssoSharedWith: readStrsOrNull(o.ssoSharedWith),
    mfaChain: readStrsOrNull(o.mfaChain),
  }),
};

/** `AuthRequest`, named by its id. */
export const kubeAuthRequest: KubeCodec<AuthRequest> = {
  name: (a) => a.id,
  encode: (a) =>
    omitEmpty(
      {
        clientID: a.clientId,
        responseTypes: a.responseTypes,
        scopes: a.scopes,
        redirectURI: a.redirectURI,
        nonce: a.nonce,
        state: a.state,
        forceApprovalPrompt: a.forceApprovalPrompt,
        loggedIn: a.loggedIn,
        claims: encodeClaims(a.claims),
        connectorID: a.connectorId,
        connectorData: goBytes(a.connectorData),
        expiry: goTime(a.expiry),
        ...pkceFields(a.pkce),
        hmac_key: goBytes(a.hmacKey),
        mfa_validated: a.mfaValidated,
        webauthn_session_data: goBytes(a.webauthnSessionData),
        prompt: a.prompt.join(' '),
        maxAge: a.maxAge,
        authTime: goTimeOrZero(a.authTime),
        ferry: ferryExtra({ browserBinding: a.browserBinding, responseMode: a.responseMode, mfaMethods: a.mfaMethods }),
      },
      [
        'responseTypes', 'scopes', 'nonce', 'state', 'forceApprovalPrompt', 'connectorID', 'connectorData', 'code_challenge',
        'code_challenge_method', 'webauthn_session_data', 'prompt', 'ferry',
      ],
    ),
  decode: (o) => {
    const f = asObject(o.ferry);
    return {
      id: metaName(o),
      clientId: readStr(o.clientID),
      responseTypes: readStrs(o.responseTypes),
      scopes: readStrs(o.scopes),
      redirectURI: readStr(o.redirectURI),
      nonce: readStr(o.nonce),
      state: readStr(o.state),
      forceApprovalPrompt: readBool(o.forceApprovalPrompt),
      expiry: readTime(o.expiry),
      loggedIn: readBool(o.loggedIn),
      claims: decodeClaims(o.claims),
      connectorId: readStr(o.connectorID),
      connectorData: readBytesOrNull(o.connectorData),
      pkce: readPkce(o),
      hmacKey: readBytes(o.hmac_key),
      prompt: readStr(o.prompt).split(' ').filter(Boolean),
      maxAge: readNum(o.maxAge, -1),
      authTime: readTimeOrNull(o.authTime),
      mfaValidated: readBool(o.mfa_validated),
      browserBinding: readStr(f.browserBinding),
      responseMode: readStr(f.responseMode),
      webauthnSessionData: readBytesOrNull(o.webauthn_session_data),
      mfaMethods: readStrs(f.mfaMethods),
    };
  },
};

/** `AuthCode`, named by its id. */
export const kubeAuthCode: KubeCodec<AuthCode> = {
  name: (c) => c.id,
  encode: (c) =>
    omitEmpty(
      {
        clientID: c.clientId,
        scopes: c.scopes,
        redirectURI: c.redirectURI,
        nonce: c.nonce,
        claims: encodeClaims(c.claims),
        connectorID: c.connectorId,
        connectorData: goBytes(c.connectorData),
        expiry: goTime(c.expiry),
        ...pkceFields(c.pkce),
        authTime: goTimeOrZero(c.authTime),
        sessionID: c.sessionId,
      },
      ['scopes', 'nonce', 'connectorID', 'connectorData', 'code_challenge', 'code_challenge_method', 'sessionID'],
    ),
  decode: (o) => ({
    id: metaName(o),
    clientId: readStr(o.clientID),
    redirectURI: readStr(o.redirectURI),
    nonce: readStr(o.nonce),
    scopes: readStrs(o.scopes),
    connectorId: readStr(o.connectorID),
    connectorData: readBytesOrNull(o.connectorData),
    claims: decodeClaims(o.claims),
    expiry: readTime(o.expiry),
    pkce: readPkce(o),
    authTime: readTimeOrNull(o.authTime),
    sessionId: readStr(o.sessionID),
  }),
};

/** `RefreshToken`, named by its id; `CreatedAt` and `LastUsed` carry no tags in dex. */
export const kubeRefreshToken: KubeCodec<RefreshToken> = {
  name: (r) => r.id,
  encode: (r) =>
    omitEmpty(
      {
        CreatedAt: goTime(r.createdAt),
        LastUsed: goTime(r.lastUsed),
        clientID: r.clientId,
        scopes: r.scopes,
        token: r.token,
        obsoleteToken: r.obsoleteToken,
        nonce: r.nonce,
        claims: encodeClaims(r.claims),
        connectorID: r.connectorId,
        connectorData: goBytes(r.connectorData),
        ferry: ferryExtra({ sessionId: r.sessionId }),
      },
      ['scopes', 'token', 'obsoleteToken', 'nonce', 'connectorID', 'connectorData', 'ferry'],
    ),
  decode: (o) => ({
    id: metaName(o),
    token: readStr(o.token),
    obsoleteToken: readStr(o.obsoleteToken),
    createdAt: readTime(o.CreatedAt),
    lastUsed: readTime(o.LastUsed),
    clientId: readStr(o.clientID),
    connectorId: readStr(o.connectorID),
    connectorData: readBytesOrNull(o.connectorData),
    claims: decodeClaims(o.claims),
    scopes: readStrs(o.scopes),
    nonce: readStr(o.nonce),
    sessionId: readStr(asObject(o.ferry).sessionId),
  }),
};

/** `OfflineSessions`, named by FNV-64 of userID ‖ connID. */
export const kubeOfflineSessions: KubeCodec<OfflineSessions> = {
  name: (s) => pairName(s.userId, s.connId),
  encode: (s) =>
    omitEmpty(
      {
        userID: s.userId,
        connID: s.connId,
        refresh: Object.fromEntries(Object.entries(s.refresh).map(([k, r]) => [k, encodeRefreshRef(r)])),
        connectorData: goBytes(s.connectorData),
      },
      ['userID', 'connID', 'refresh', 'connectorData'],
    ),
  decode: (o) => ({
    userId: readStr(o.userID),
    connId: readStr(o.connID),
    refresh: readMap(o.refresh, decodeRefreshRef),
    connectorData: readBytesOrNull(o.connectorData),
  }),
};

/** `DeviceRequest`, named by the lower-cased user code (dex upper-cases the name back). */
export const kubeDeviceRequest: KubeCodec<DeviceRequest> = {
  name: (d) => d.userCode.toLowerCase(),
  encode: (d) =>
    omitEmpty(
      { device_code: d.deviceCode, client_id: d.clientId, client_secret: d.clientSecret, scopes: d.scopes, expiry: goTime(d.expiry) },
      ['device_code', 'client_id', 'client_secret', 'scopes'],
    ),
  decode: (o) => ({
    userCode: metaName(o).toUpperCase(),
    deviceCode: readStr(o.device_code),
    clientId: readStr(o.client_id),
    clientSecret: readStr(o.client_secret),
    scopes: readStrs(o.scopes),
    expiry: readTime(o.expiry),
  }),
};

/** `DeviceToken`, named by the device code. */
export const kubeDeviceToken: KubeCodec<DeviceToken> = {
  name: (t) => t.deviceCode,
  encode: (t) =>
    omitEmpty(
      {
        status: t.status,
        token: t.token,
        expiry: goTime(t.expiry),
        last_request: goTime(t.lastRequestTime),
        poll_interval: t.pollIntervalSeconds,
        ...pkceFields(t.pkce),
      },
      ['status', 'token', 'code_challenge', 'code_challenge_method'],
    ),
  decode: (o) => ({
    deviceCode: metaName(o),
    status: readStr(o.status),
    token: readStr(o.token),
    expiry: readTime(o.expiry),
    lastRequestTime: readTime(o.last_request),
    pollIntervalSeconds: readNum(o.poll_interval),
    pkce: readPkce(o),
  }),
};
