/**
 * A relying party driven by the test (openid-client) plus a scripted browser (UserAgent) for the session flows:
 * start an authorization request with any extra parameters, log in on the password form, approve, redeem.
 */

import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { readForm, UserAgent, type Page } from '../../helpers/user-agent.js';
import { REDIRECT } from './sessions.config.js';

const insecure = { execute: [client.allowInsecureRequests] };
const SECRETS: Record<string, string> = { 'app-a': 'secret-a', 'app-b': 'secret-b', 'app-c': 'secret-c', toString: 'secret-t' };

export type Reached = Page & { redirect?: URL };

export interface Started {
  page: Reached;
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string; maxAge?: number };
  config: client.Configuration;
}

export async function rpFor(issuer: string, clientId: string): Promise<client.Configuration> {
  const secret = SECRETS[clientId];
  return client.discovery(new URL(issuer), clientId, secret, secret ? client.ClientSecretBasic(secret) : client.None(), insecure);
}

/** Sends `ua` to /auth for `clientId` with `scope` and `extra` parameters; returns where the browser ended up. */
export async function start(ua: UserAgent, issuer: string, clientId: string, scope = 'openid email', extra: Record<string, string> = {}): Promise<Started> {
  const config = await rpFor(issuer, clientId);
  const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
    ...extra,
  });
  const maxAge = extra.max_age === undefined ? {} : { maxAge: Number(extra.max_age) };
  return { page: await ua.browse(url.href), checks: { ...checks, ...maxAge }, config };
}

export const isPasswordForm = (p: Reached) => p.status === 200 && /name="password"/.test(p.html);
export const isApproval = (p: Reached) => p.status === 200 && /name="approval"/.test(p.html);

export async function logIn(ua: UserAgent, page: Reached, user: { email: string; password: string }, rememberMe = false): Promise<Reached> {
  assert.ok(isPasswordForm(page), `password form expected, got ${page.status} ${page.url}`);
  const form = readForm(page);
  delete form.fields.remember_me;
  return ua.submit(form, { login: user.email, password: user.password, ...(rememberMe ? { remember_me: 'on' } : {}) });
}

export async function approve(ua: UserAgent, page: Reached): Promise<Reached> {
  assert.ok(isApproval(page), `approval page expected, got ${page.status} ${page.url}`);
  return ua.submit(readForm(page), { approval: 'approve' });
}

/** Redeems the code the browser brought back; returns the tokens and the ID token's claims. */
export async function redeem(s: Started, page: Reached): Promise<{ tokens: client.TokenEndpointResponse; claims: client.IDToken }> {
  assert.ok(page.redirect, `redirected to the client, got ${page.status} ${page.url}`);
  assert.equal(page.redirect.searchParams.get('error'), null, `no error: ${page.redirect.searchParams.get('error_description')}`);
  const tokens = await client.authorizationCodeGrant(s.config, page.redirect, s.checks);
  const claims = tokens.claims();
  assert.ok(claims);
  return { tokens, claims };
}

/** The OAuth error the client got back. */
export function errorOf(page: Reached): string | null {
  assert.ok(page.redirect, `redirected to the client, got ${page.status} ${page.url}`);
  return page.redirect.searchParams.get('error');
}
