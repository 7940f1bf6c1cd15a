/**
 * The refresh_token grant (RFC 6749 §6; dex v2.45.1 `server/refreshhandlers.go` `handleRefreshToken`). `resolve` decodes and looks the token up (one read) and
 * names its connector, which the endpoint re-authorizes for the client. `authorize` narrows the scopes, plans the
 * refresh (`../tokens/refresh-policy.ts`), re-reads the identity through the connector when the plan needs it, then commits
 * with ONE `updateRefreshToken` whose updater re-plans on the latest value: of N parallel refreshes of one secret
 * outside the reuse window exactly one rotates; the rest get `invalid_request`, never a 5xx.
 *
 * Storage round trips: read token (networked SQL stores read the user's OfflineSessions in the same statement, for
 * the connector data; other stores read them separately, for refresh connectors only, and SQLite only their
 * connector data column: the record's refresh map can hold hundreds of references); update token
 * (a compare-and-swap against the copy read first, so one round trip on SQL stores when nobody raced us); and an
 * OfflineSessions write only when the upstream handed back new connector data (again a compare-and-swap against the
 * copy read with the token, so at most 3 round trips on SQL stores). A `keep`/`reuse` answer costs the
 * read alone. The time of last use lives on the token (the gRPC API's ListRefresh reads it from there).
 */

import type { Identity } from '../../connectors/types.js';
import { isRefreshConnector } from '../../connectors/capabilities.js';
import { AlreadyExistsError, NotFoundError, UserNotInRequiredGroupsError, UserRefusedError } from '../../lib/errors.js';
import { newSecret } from '../../storage/ids.js';
import type { Claims, OfflineSessions, RefreshToken } from '../../storage/types.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { invalidGrant, invalidRequest, serverError } from '../oauth2/oauth-error.js';
import { connectorScopes, parseScopeParam } from '../oauth2/scopes.js';
import { decodeRefreshToken, encodeRefreshToken } from '../tokens/refresh-token-wire.js';
import { authenticatedClient, type Grant, type TokenRequest } from './grant.js';
import { mintTokens } from './mint.js';
import { checkRefreshToken, isObsoleteSecret, planRefresh } from '../tokens/refresh-policy.js';
import { keyOfToken } from '../tokens/devices.js';
import { revokeGrant } from '../tokens/grant-revocation.js';
import { SingleFlight } from './single-flight.js';

interface Presented {
  stored: RefreshToken;
  secret: string;
  /** The user's OfflineSessions when the store read them with the token (undefined: not read). */
  sessions?: OfflineSessions | null;
}

const CLAIMED = 'Refresh token is invalid or has already been claimed by another client.';
const claimed = (detail: string) => invalidRequest(CLAIMED, { detail });
const hasData = (d: Uint8Array | null): d is Uint8Array => d !== null && d.length > 0;
const upstream = new SingleFlight<Reread>();

async function lookup(req: TokenRequest, deps: ServerContext): Promise<Presented> {
  const value = req.form.get('refresh_token');
  if (value === '') throw invalidRequest('No refresh token is found in request.');
  const { id, secret } = decodeRefreshToken(value);
  const { token: stored, sessions } = await deps.storage.getRefreshWithSessions(id).catch((err: unknown) => {
    throw err instanceof NotFoundError ? claimed('unknown refresh token') : err;
  });
  const client = authenticatedClient(req);
  switch (checkRefreshToken(stored, secret, client.id, deps.config.expiry.refreshTokens, deps.now())) {
    case 'other-client':
      throw invalidGrant(CLAIMED, { detail: `refresh token ${id} belongs to client ${stored.clientId}` });
    case 'invalid':
      if (isObsoleteSecret(stored, secret)) {
        // A rotated-out token outside the reuse interval: the thief or the client holds a copy; end the family.
        await revokeGrant(deps.storage, stored.id, stored.clientId, new Date(deps.now().getTime() + deps.config.expiry.idTokens));
        req.logger.warn({ client_id: stored.clientId }, 'rotated-out refresh token replayed: the token family is revoked');
      }
      throw claimed(`refresh token ${id} presented with a stale secret`);
    case 'expired':
      throw invalidRequest('Refresh token expired.', { detail: `refresh token ${id}` });
  }
  return { stored, secret, sessions };
}

/** RFC 6749 §6: the requested scope must be a subset of the original grant; omitted means the original. */
function narrowScopes(requested: string, original: string[]): string[] {
  const scopes = parseScopeParam(requested);
  if (scopes.length === 0) return original;
  const extra = scopes.filter((s) => !original.includes(s));
  if (extra.length > 0) {
    throw invalidRequest(`Requested scopes contain unauthorized scope(s): ${extra.map((s) => JSON.stringify(s)).join(', ')}.`);
  }
  return scopes;
}

const identityFromClaims = (c: Claims): Identity => ({ ...c, connectorData: null });

/** The refreshed claims: everything the connector says now, except the user id (dex keeps it). */
const updateClaims = (old: Claims, i: Identity): Claims => ({
  ...old,
  username: i.username,
  preferredUsername: i.preferredUsername,
  email: i.email,
  emailVerified: i.emailVerified,
  groups: i.groups,
});

interface Reread {
  identity: Identity;
  /** The connector data the upstream saw; `undefined` when the connector was not asked (nothing to record). */
  before?: Uint8Array | null;
}

/**
 * Re-reads the user through the connector (connector data: the legacy token's, else OfflineSessions', as read with
 * the token when the store could).
 */
async function refreshIdentity(deps: ServerContext, conn: ResolvedConnector | null, { stored, sessions }: Presented, scopes: string[]): Promise<Reread> {
  const connector = conn?.connector ?? null;
  if (connector === null || !isRefreshConnector(connector)) return { identity: identityFromClaims(stored.claims) };
  const data = hasData(stored.connectorData)
    ? stored.connectorData
    : sessions !== undefined
      ? (sessions?.connectorData ?? null)
      : await deps.storage.getOfflineConnectorData(stored.claims.userId, stored.connectorId).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
  try {
    const identity = await connector.refresh(connectorScopes(scopes), { ...identityFromClaims(stored.claims), connectorData: data });
    return { identity, before: data };
  } catch (err) {
    // The upstream refuses this user now (left the group, account disabled, upstream grant revoked): the grant is
    // dead, a 4xx (RFC 6749 §5.2), not an outage.
    if (err instanceof UserRefusedError || err instanceof UserNotInRequiredGroupsError) {
      throw invalidGrant('The upstream identity provider no longer accepts this login.', { detail: `connector ${stored.connectorId}: ${err.message}` });
    }
    // dex answers 500 with `invalid_request`; a 5xx is a `server_error` (RFC 6749 §5.2 has no 5xx code besides).
    throw serverError(undefined, { detail: `connector ${stored.connectorId}: upstream refresh failed`, cause: err });
  }
}

const sameBytes = (a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean =>
  (a ?? null) === (b ?? null) || (a != null && b != null && Buffer.from(a).equals(Buffer.from(b)));

/**
 * Keeps the newest upstream connector data on OfflineSessions, shared by every client's token of this user (an
 * upstream that rotates its own refresh tokens must see the latest one from whichever client refreshes next).
 * Written only when it changed, or when a legacy token's data moves there (a compare-and-swap against the copy
 * read with the token, when there is one). Failures are logged, not fatal.
 */
async function recordConnectorData(deps: ServerContext, req: TokenRequest, { stored, sessions }: Presented, now: Date, reread: Reread): Promise<void> {
  if (reread.before === undefined) return;
  const legacy = hasData(stored.connectorData);
  const data = hasData(reread.identity.connectorData) ? reread.identity.connectorData : stored.connectorData;
  if (!legacy && (!hasData(data) || sameBytes(data, reread.before))) return;
  const { userId } = stored.claims;
  try {
    await deps.storage.updateOfflineSessions(userId, stored.connectorId, (old) => {
      const key = keyOfToken(old.refresh, stored.id); // the client's entry, or one of its devices (../tokens/devices.ts)
      const ref = key === null ? undefined : old.refresh[key];
      if (key === null || ref === undefined) return old; // replaced by a newer login meanwhile
      return {
        ...old,
        refresh: { ...old.refresh, [key]: { ...ref, lastUsed: now } },
        connectorData: hasData(data) ? data : old.connectorData,
      };
    }, sessions ?? undefined);
  } catch (err) {
    if (!(err instanceof NotFoundError)) {
      req.logger.error({ reqId: req.requestId, err }, 'refresh: failed to update offline session');
      return;
    }
    // A token from before OfflineSessions existed: give it one so its connector data survives.
    const ref = { id: stored.id, clientId: stored.clientId, createdAt: stored.createdAt, lastUsed: now, sessionId: stored.sessionId };
    await deps.storage
      .createOfflineSessions({ userId, connId: stored.connectorId, refresh: { [stored.clientId]: ref }, connectorData: hasData(data) ? data : null })
      .catch((e: unknown) => {
        if (!(e instanceof AlreadyExistsError)) req.logger.error({ reqId: req.requestId, err: e }, 'refresh: failed to create offline session');
      });
  }
}

interface Outcome {
  secret: string;
  claims: Claims;
  /** The identity was re-read and the token written (`rotate`/`touch`). */
  wrote: boolean;
}

async function refresh(req: TokenRequest, deps: ServerContext, conn: ResolvedConnector | null, presented: Presented) {
  const { stored, secret } = presented;
  const policy = deps.config.expiry.refreshTokens;
  const scopes = narrowScopes(req.form.get('scope'), stored.scopes);
  const now = deps.now();
  const plan = planRefresh(stored, secret, policy, now);
  if (plan === null) throw claimed(`refresh token ${stored.id} presented with a stale secret`);

  let outcome: Outcome = { secret: plan.kind === 'reuse' ? plan.secret : stored.token, claims: stored.claims, wrote: false };
  let reread: Reread | null = null;
  if (plan.kind === 'rotate' || plan.kind === 'touch') {
    const key = `${stored.id}\0${secret}\0${scopes.join(' ')}`;
    reread = await upstream.run(key, () => refreshIdentity(deps, conn, presented, scopes));
    const fresh = reread.identity;
    const rotated = newSecret();
    await deps.storage
      .updateRefreshToken(stored.id, (old) => {
        const p = planRefresh(old, secret, policy, now);
        if (p === null) throw claimed(`refresh token ${old.id} was claimed concurrently`);
        if (p.kind === 'keep' || p.kind === 'reuse') {
          outcome = { secret: old.token, claims: old.claims, wrote: false };
          return old;
        }
        const claims = updateClaims(old.claims, fresh);
        const token = p.kind === 'rotate' ? rotated : old.token;
        outcome = { secret: token, claims, wrote: true };
        const obsoleteToken = p.kind === 'rotate' ? old.token : old.obsoleteToken;
        return { ...old, token, obsoleteToken, lastUsed: now, claims, connectorData: null };
      }, stored)
      .catch((err: unknown) => {
        throw err instanceof NotFoundError ? claimed(`refresh token ${stored.id} was deleted concurrently`) : err;
      });
  }
  if (outcome.wrote && reread) await recordConnectorData(deps, req, presented, now, reread);

  const ctx = {
    clientId: stored.clientId,
    scopes,
    claims: outcome.claims,
    connectorId: stored.connectorId,
    nonce: stored.nonce,
    authTime: null,
    sessionId: stored.sessionId,
    grantId: stored.id,
  };
  // dex always answers an ID token on refresh (no c_hash).
  const minted = await mintTokens(deps, ctx, { alwaysIdToken: true });
  return { ...minted, refreshToken: encodeRefreshToken(stored.id, outcome.secret) };
}

export const refreshTokenGrant: Grant<Presented> = {
  grantType: GRANT_TYPES.refreshToken,
  requiresClientAuth: true,
  parameters: ['refresh_token', 'scope'],
  scopePolicy: null, // only narrows the token's own scopes (narrowScopes)
  resolve: async (req, deps) => {
    const presented = await lookup(req, deps);
    return { connectorId: presented.stored.connectorId, state: presented };
  },
  authorize: (req, deps, conn, state) => refresh(req, deps, conn, state),
};
