/**
 * Implicit and hybrid responses (OIDC Core §3.2, §3.3) with `at_hash` / `c_hash` checked, and
 * `response_mode=form_post` (OAuth 2.0 Form Post Response Mode): the authorization response is an auto-submitting
 * form posting to the redirect URI, which `openid-client` consumes as the POST request it is.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { tokenHash } from '../../../src/server/tokens/hash.js';
import { readForm, UserAgent, type Page } from '../../helpers/user-agent.js';
import { assertNoLeaks, type GrantsFixture, REDIRECT, SECRETS, startGrantsFerry } from './grants.config.js';

let g: GrantsFixture;
before(async () => {
  g = await startGrantsFerry();
});
after(async () => {
  assertNoLeaks(g.answers);
  await g.stop();
});

const nonce = 'n-0S6_WzA2Mj';
const state = 'af0ifjsldkj';

/** Logs in through the mock connector and approves; returns the last page (a redirect off Ferry, or a form). */
async function authorize(params: Record<string, string>): Promise<Page & { redirect?: URL }> {
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, scope: 'openid email', nonce, state, connector_id: 'mock', ...params });
  const ua = new UserAgent(g.f.issuer);
  const page = await ua.browse(`${g.f.issuer}/auth?${q}`);
  assert.equal(page.status, 200, page.html.slice(0, 300));
  return ua.submit(readForm(page), { approval: 'approve' });
}

const fragment = (u: URL) => new URLSearchParams(u.hash.slice(1));

describe('implicit and hybrid responses', () => {
  for (const responseType of ['id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token']) {
    test(`response_type=${responseType}: fragment, at_hash/c_hash bind the ID token`, async () => {
      const page = await authorize({ response_type: responseType });
      assert.ok(page.redirect, 'redirected to the client');
      assert.equal(page.redirect.search, '', 'nothing in the query');
      const f = fragment(page.redirect);
      assert.equal(f.get('state'), state);
      const types = responseType.split(' ');
      assert.equal(f.has('code'), types.includes('code'));
      assert.equal(f.has('access_token'), types.includes('token'));
      assert.equal(f.has('id_token'), types.includes('id_token'));
      if (types.includes('token')) assert.equal(f.get('token_type'), 'bearer');
      const idToken = f.get('id_token');
      if (idToken) {
        const claims = decodeJwt(idToken);
        assert.equal(claims.nonce, nonce);
        const at = f.get('access_token');
        assert.equal(claims.at_hash, at ? tokenHash(at, 'RS256') : undefined);
        const code = f.get('code');
        assert.equal(claims.c_hash, code ? tokenHash(code, 'RS256') : undefined);
      }
    });
  }

  test('openid-client: implicit id_token and hybrid code id_token', async () => {
    const rp = await g.rp('app', client.ClientSecretBasic(SECRETS.app));
    client.useIdTokenResponseType(rp);
    const implicit = await authorize({ response_type: 'id_token' });
    const claims = await client.implicitAuthentication(rp, implicit.redirect!, nonce, { expectedState: state });
    assert.equal(claims.aud, 'app');

    const hybridRp = await g.rp('app', client.ClientSecretBasic(SECRETS.app));
    client.useCodeIdTokenResponseType(hybridRp);
    const hybrid = await authorize({ response_type: 'code id_token' });
    const tokens = await client.authorizationCodeGrant(hybridRp, hybrid.redirect!, { expectedNonce: nonce, expectedState: state });
    assert.equal(tokens.claims()?.email, 'kilgore@kilgore.trout');
  });
});

describe('response_mode=form_post', () => {
  test('code flow: an auto-submitting form posts code and state to the redirect URI; openid-client redeems it', async () => {
    const page = await authorize({ response_type: 'code', response_mode: 'form_post' });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.html, /<script>document\.forms\[0\]\.submit\(\);<\/script>/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'sha256-/);
    const form = readForm(page);
    assert.equal(form.action, REDIRECT);
    assert.deepEqual(Object.keys(form.fields).sort(), ['code', 'state']);
    const rp = await g.rp('app', client.ClientSecretBasic(SECRETS.app));
    const post = new Request(REDIRECT, { method: 'POST', body: new URLSearchParams(form.fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const tokens = await client.authorizationCodeGrant(rp, post, { expectedNonce: nonce, expectedState: state });
    assert.equal(tokens.claims()?.aud, 'app');
  });

  test('hybrid flow in form_post: code and id_token in the form, c_hash matches', async () => {
    const page = await authorize({ response_type: 'code id_token', response_mode: 'form_post' });
    const form = readForm(page);
    assert.equal(decodeJwt(form.fields.id_token!).c_hash, tokenHash(form.fields.code!, 'RS256'));
  });

  test('errors go back in the requested mode; unknown modes and query-with-tokens are invalid_request', async () => {
    const ua = new UserAgent(g.f.issuer);
    const base = { client_id: 'app', redirect_uri: REDIRECT, nonce, state };
    const denied = await ua.browse(`${g.f.issuer}/auth?${new URLSearchParams({ ...base, response_type: 'code', scope: 'openid bogus', response_mode: 'form_post' })}`);
    assert.equal(denied.status, 200);
    assert.deepEqual(readForm(denied).fields, { error: 'invalid_scope', error_description: 'Unrecognized scope(s) ["bogus"]', state });
    const bad = await ua.browse(`${g.f.issuer}/auth?${new URLSearchParams({ ...base, response_type: 'code', scope: 'openid', response_mode: 'jwt' })}`);
    assert.equal(bad.redirect?.searchParams.get('error'), 'invalid_request');
    assert.equal(bad.redirect?.searchParams.get('error_description'), 'Unsupported response_mode "jwt".');
    const query = await ua.browse(`${g.f.issuer}/auth?${new URLSearchParams({ ...base, response_type: 'id_token', scope: 'openid', response_mode: 'query' })}`);
    assert.equal(fragment(query.redirect!).get('error'), 'invalid_request');
  });
});
