/**
 * Validates an authorization request (dex v2.45.1 `server/oauth2.go` `parseAuthorizationRequest`, in dex's order; OIDC Core §3.1.2.2; RFC 7636 §4.3).
 * The first two checks fail on an error page (the redirect URI is not trusted yet); every later check fails
 * with an error redirected to the verified redirect URI.
 */

import { decodeJwt } from 'jose';
import { NotFoundError } from '../../lib/errors.js';
import type { Client } from '../../storage/types.js';
import { OAuthError, invalidRequest, requestNotSupported, unsupportedResponseType } from '../oauth2/oauth-error.js';
import { param, type RawParams } from '../http/params.js';
import { checkPkceChallenge } from '../oauth2/pkce.js';
import { isResponseMode, isResponseType, isTokenBearing, RESPONSE_MODES, RESPONSE_TYPES } from '../oauth2/response-types.js';
import { checkScopes as checkScopePolicy, LOGIN_SCOPE_POLICY } from '../tokens/check-scopes.js';
import { readAuthParams, type AuthParams } from './auth-request-params.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { OOB_REDIRECT_URI } from '../oauth2/redirect-uris.js';
import { checkRedirectURI } from '../responses/redirect-uri.js';

export interface ValidAuthRequest {
  params: AuthParams;
  client: Client;
  /** The verified redirect URI (dex rewrites `/device/callback` to the issuer path). */
  redirectURI: string;
  /** PKCE method after defaulting (`plain` when a challenge comes without a method). */
  codeChallengeMethod: string;
  forceApproval: boolean;
  /** `max_age` in seconds, -1 when absent. */
  maxAge: number;
  /** `response_mode` as requested (`query`, `fragment`, `form_post`); '' = the response type's default. */
  responseMode: string;
  /** `sub` of a verified `id_token_hint`; '' when none was sent. */
  hintSubject: string;
  /**
   * The connectors this client may use (its `allowedConnectors`, empty = all), in config order: the list is read
   * once per request, here, and every later check of the request (flow-connector.ts) uses this copy.
   */
  connectors: ResolvedConnector[];
}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

type Step = (r: ValidAuthRequest, ctx: ServerContext) => void | Promise<void>;

/**
 * `connector_id`, if given, must name a connector this client may use (a redirected error, as dex's parameter
 * check); whether the login may use it is then decided once, by flow-connector.ts.
 */
const checkConnectorParam: Step = ({ params, connectors }) => {
  if (params.connectorId && !connectors.some((c) => c.id === params.connectorId)) throw invalidRequest('Connector ID does not match a valid connector.');
};

/** `request` and `request_uri` (JAR) are not supported (OIDC Core §6.1, §6.2). */
const checkRequestObject: Step = ({ params }) => {
  if (params.request) throw requestNotSupported('Server does not support request parameter.');
  if (params.requestURI) {
    throw new OAuthError('request_uri_not_supported', 'Server does not support request_uri parameter.');
  }
};

/**
 * PKCE (RFC 7636 §4.3): a supported method, a well-formed challenge, and a challenge when PKCE is enforced. A public
 * client's code flow needs S256 unless `oauth2.pkce.requireS256ForPublicClients` is false (RFC 9700 §2.1.1).
 */
const checkPkce: Step = (r, ctx) => {
  const pkce = ctx.config.oauth2.pkce;
  const publicCode = pkce.requireS256ForPublicClients && r.client.public && r.params.responseTypes.includes(RESPONSE_TYPES.code);
  r.codeChallengeMethod = checkPkceChallenge(r.params.codeChallenge, r.params.codeChallengeMethod, pkce, publicCode).codeChallengeMethod;
};

/** Scopes: the login policy shared with `/device/code` (`openid` required, known scopes, trusted peers). */
const checkScopes: Step = ({ params, client }, ctx) => checkScopePolicy(ctx.storage, client.id, params.scopes, LOGIN_SCOPE_POLICY);

/** response_type (OAuth 2.0 Multiple Response Types §3): known words, enabled by config, valid combinations. */
const checkResponseType: Step = ({ params, redirectURI }, ctx) => {
  const types = params.responseTypes;
  if (types.length === 0) throw invalidRequest('No response_type provided');
  for (const t of types) {
    if (!isResponseType(t)) throw invalidRequest(`Invalid response type ${JSON.stringify(t)}`);
    if (!ctx.config.oauth2.responseTypes.some((allowed) => allowed.split(' ').includes(t))) {
      throw unsupportedResponseType(`Unsupported response type ${JSON.stringify(t)}`);
    }
  }
  const has = (t: string) => types.includes(t);
  if (types.length === 1 && has(RESPONSE_TYPES.token)) throw invalidRequest('Response type \'token\' must be combined with \'id_token\' or \'code\'.');
  if (!has(RESPONSE_TYPES.code) && !params.nonce) throw invalidRequest('Response type \'token\' requires a \'nonce\' value.');
  if (has(RESPONSE_TYPES.token) && redirectURI === OOB_REDIRECT_URI) {
    throw invalidRequest('Cannot use response type \'token\' with the out-of-band redirect URI.');
  }
};

/**
 * `response_mode` (OAuth 2.0 Multiple Response Types §2.1, §5; Form Post Response Mode §2): a known mode, and never
 * `query` for a response that carries tokens. dex ignores the parameter; Ferry serves all three modes.
 */
const checkResponseMode: Step = ({ responseMode, params }) => {
  if (responseMode === '') return;
  if (!isResponseMode(responseMode)) throw invalidRequest(`Unsupported response_mode ${JSON.stringify(responseMode)}.`);
  if (responseMode === RESPONSE_MODES.query && isTokenBearing(params.responseTypes)) {
    throw invalidRequest('response_mode=query cannot be used when tokens are returned from the authorization endpoint.');
  }
};

/** `prompt` (OIDC Core §3.1.2.1): known words; `none` stands alone. */
const checkPrompt: Step = (r) => {
  const p = r.params.prompt;
  for (const w of p) if (!PROMPTS.has(w)) throw invalidRequest(`Invalid prompt value ${JSON.stringify(w)}.`);
  if (p.includes('none') && p.length > 1) throw invalidRequest('prompt=none must not be combined with other values.');
  r.forceApproval = r.params.approvalPrompt === 'force' || p.includes('consent');
};

/** `max_age`: a non-negative integer number of seconds. */
const checkMaxAge: Step = (r) => {
  if (!r.params.maxAge) return;
  if (!/^\d{1,10}$/.test(r.params.maxAge)) throw invalidRequest('max_age must be a non-negative integer.');
  r.maxAge = Number(r.params.maxAge);
};

/** `id_token_hint` must be an ID token this issuer signed (expiry and audience are not checked, as in dex). */
const checkIdTokenHint: Step = async (r, ctx) => {
  const { params } = r;
  if (!params.idTokenHint) return;
  const ok = await ctx.verifyOwnToken(params.idTokenHint, { ignoreExpiry: true });
  if (!ok) throw invalidRequest('Invalid id_token_hint.');
  const sub = decodeJwt(params.idTokenHint).sub;
  r.hintSubject = typeof sub === 'string' ? sub : '';
};

const REDIRECTED_STEPS: Step[] = [
  checkConnectorParam,
  checkRequestObject,
  checkPkce,
  checkScopes,
  checkResponseType,
  checkResponseMode,
  checkPrompt,
  checkMaxAge,
  checkIdTokenHint,
];

/** Looks up the client and verifies the redirect URI; both fail on an error page, never a redirect. */
export async function verifyClientAndRedirect(params: AuthParams, ctx: ServerContext): Promise<{ client: Client; redirectURI: string }> {
  if (!params.clientId) throw invalidRequest('No client_id provided.', { allowRedirect: false });
  const client = await ctx.storage.getClient(params.clientId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw invalidRequest('Invalid client_id.', { allowRedirect: false, status: 404 });
    throw err;
  });
  const redirectURI = checkRedirectURI(client, params.redirectURI, ctx.issuerPath);
  if (!redirectURI) throw invalidRequest('Unregistered redirect_uri.', { allowRedirect: false });
  return { client, redirectURI };
}

/**
 * Reads and validates the request in `query`. Throws `OAuthError`; once the client and redirect URI are verified,
 * `holder.target` says where errors may be redirected.
 */
export async function validateAuthRequest(
  query: RawParams,
  ctx: ServerContext,
  holder: { target?: RedirectTarget },
): Promise<ValidAuthRequest> {
  const params = readAuthParams(query);
  const responseMode = param(query, 'response_mode', { allowRedirect: false });
  const { client, redirectURI } = await verifyClientAndRedirect(params, ctx);
  // Errors go back in the requested mode when it is one Ferry serves (a bad mode is reported in the default one).
  const carriesTokens = isTokenBearing(params.responseTypes);
  const errorMode = isResponseMode(responseMode) && !(responseMode === RESPONSE_MODES.query && carriesTokens) ? responseMode : '';
  holder.target = { redirectURI, state: params.state, responseTypes: params.responseTypes, responseMode: errorMode };
  const connectors = await ctx.connectorsFor(client);
  const r: ValidAuthRequest = { params, client, redirectURI, codeChallengeMethod: '', forceApproval: false, maxAge: -1, responseMode, hintSubject: '', connectors };
  for (const step of REDIRECTED_STEPS) await step(r, ctx);
  return r;
}
