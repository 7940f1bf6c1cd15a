/**
 * `POST <issuer>/token` (RFC 6749 §3.2, §5; dex v2.45.1 `server/handlers.go` `handleToken`). The endpoint owns the shared phases and runs them in
 * this order for every grant (dex master (ab64ed77) `server/grants/grants.go` `dispatch`):
 *
 *   1. parse the form (`../http/token-form.ts`: form body only, no repeated parameters)
 *   2. select the grant by `grant_type` among the enabled ones (`unsupported_grant_type`)
 *   3. authenticate the client (`oauth2/client-auth.ts`), unless the grant needs none
 *   4. `grant.resolve`: validate what was presented and name the connector it uses
 *   5. the grant's scope policy on the `scope` parameter (`tokens/check-scopes.ts`), for every grant declaring one
 *   6. connector invariant: the client allows the connector, the connector allows the grant
 *   7. `grant.authorize`: mint the tokens
 *   8. write the JSON response (`no-store`), or the error through `oauth2/write-json-error.ts`
 *
 * Other methods get dex's answer, 400 `invalid_request` "method not allowed", rather than 405: dex clients and
 * their tests have only ever seen the 400 and an OAuth client reads `error`, not the status, so we keep dex's.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { Client } from '../../storage/types.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import { authenticateClient, readClientCredentials } from '../oauth2/client-auth.js';
import { isGrantTypeAllowed, type TokenGrantType } from '../oauth2/grant-types.js';
import { invalidGrant, invalidRequest, unsupportedGrantType } from '../oauth2/oauth-error.js';
import { parseScopeParam } from '../oauth2/scopes.js';
import { sendJson } from '../oauth2/write-json-error.js';
import { checkScopes } from '../tokens/check-scopes.js';
import { formEndpoint, type FormEndpoint } from '../http/form-endpoint.js';
import type { TokenForm } from '../http/token-form.js';
import type { Grant, TokenRequest, TokenResponse } from './grant.js';
import { enabledGrants } from './grant-table.js';

/**
 * Step 6: the client must allow the connector, and the connector must allow the grant type (dex advisory
 * GHSA-7qjx-gp9h-65qj). A grant naming a connector must also name the client it acts for.
 */
async function checkConnector(deps: ServerContext, client: Client | null, connectorId: string, grantType: string): Promise<ResolvedConnector | null> {
  if (connectorId === '') return null;
  if (client === null) throw new TypeError(`grant ${grantType} named connector ${connectorId} without a client`);
  const allowed = client.allowedConnectors;
  if (allowed.length > 0 && !allowed.includes(connectorId)) {
    throw invalidGrant('Connector not allowed for this client.', { detail: `connector ${connectorId}` });
  }
  const conn = await deps.connectors.get(connectorId).catch((err: unknown) => {
    throw err instanceof NotFoundError ? invalidRequest('Requested connector does not exist.') : err;
  });
  if (!isGrantTypeAllowed(conn.grantTypes, grantType)) {
    throw invalidRequest('Requested connector does not support this grant type.', { detail: `connector ${connectorId}` });
  }
  return conn;
}

/** The JSON body of a successful token response (RFC 6749 §5.1), in dex's field order. */
export function tokenResponseBody(r: TokenResponse): Record<string, string | number> {
  const body: Record<string, string | number> = { access_token: r.accessToken };
  if (r.issuedTokenType !== undefined) body.issued_token_type = r.issuedTokenType;
  body.token_type = 'bearer';
  body.expires_in = r.expiresIn;
  if (r.refreshToken !== undefined) body.refresh_token = r.refreshToken;
  if (r.idToken !== undefined) body.id_token = r.idToken;
  return body;
}

/** One grant run through steps 4–7 (also used by the device flow's browser callback to redeem its code). */
export interface GrantRun {
  grant: Grant;
  grantType: TokenGrantType;
  form: TokenForm;
  /** The authenticated client (null when the grant requires none). */
  client: Client | null;
  requestId: string;
  /** The client's address; '' when the run does not come from a request (then the throttle counts it under ''). */
  clientAddress?: string;
  /** The grant type the connector's `grantTypes` must allow; defaults to `grantType`. */
  connectorGrantType?: string;
}

/** Steps 4–7: resolve, the scope policy and the connector invariant (never skipped), authorize. */
export async function runGrant(deps: ServerContext, run: GrantRun): Promise<TokenResponse> {
  const req: TokenRequest = {
    grantType: run.grantType,
    form: run.form,
    scopes: parseScopeParam(run.form.get('scope')),
    client: run.client,
    requestId: run.requestId,
    clientAddress: run.clientAddress ?? '',
    logger: deps.logger.child({ reqId: run.requestId }),
  };
  const { connectorId, state, client: bound } = await run.grant.resolve(req, deps);
  const client = run.client ?? bound ?? null;
  const policy = run.grant.scopePolicy;
  if (policy !== null) {
    if (client === null) throw new TypeError(`grant ${run.grantType} has a scope policy but no client`);
    await checkScopes(deps.storage, client.id, req.scopes, policy);
  }
  const conn = await checkConnector(deps, client, connectorId, run.connectorGrantType ?? run.grantType);
  return run.grant.authorize(req, deps, conn, state);
}

const writeTokenResponse = (reply: FastifyReply, r: TokenResponse): FastifyReply => sendJson(reply, 200, tokenResponseBody(r), true);

/**
 * The handlers of `/token` (wired in ../routes.ts under the issuer path; `@fastify/formbody` on a parent): the
 * shell every form endpoint shares (form-endpoint.ts: POST only, body-parser failures and errors as OAuth JSON)
 * around steps 1–6.
 */
export function tokenEndpoint(deps: ServerContext): FormEndpoint {
  const enabled = enabledGrants(deps.config);

  async function handle(form: TokenForm, request: FastifyRequest): Promise<TokenResponse> {
    const grantType = form.get('grant_type');
    if (grantType === '') throw invalidRequest('Required param: grant_type.');
    const grant = enabled.get(grantType);
    if (!grant) throw unsupportedGrantType(undefined, { detail: `grant_type ${JSON.stringify(grantType.slice(0, 100))}` });

    let client: Client | null = null;
    if (grant.requiresClientAuth) {
      const creds = readClientCredentials(request.headers.authorization, {
        clientId: form.get('client_id'),
        clientSecret: form.get('client_secret'),
      });
      client = await authenticateClient(deps.storage, creds);
    }
    const clientAddress = deps.guard.addressOf(request);
    return runGrant(deps, { grant, grantType: grantType as TokenGrantType, form, client, requestId: request.id, clientAddress });
  }

  return formEndpoint({
    logger: deps.logger,
    realm: deps.config.issuer,
    handle: async (form, request, reply) => writeTokenResponse(reply, await handle(form, request)),
  });
}
