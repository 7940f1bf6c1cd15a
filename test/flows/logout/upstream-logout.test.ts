/**
 * Upstream logout through the `oidc` connector against the real upstream (oidc-provider from
 * test/peers/oidc-upstream, which advertises `end_session_endpoint`): a logout sends the browser to the upstream's
 * end-session endpoint with `post_logout_redirect_uri=<issuer>/logout/callback` and `client_id`; the session ends
 * only when the browser comes back there, and then the relying party's verified post-logout URI gets `state` and
 * the back-channel receiver a token. A callback without a logout in progress is refused.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import { authRequest } from '../../helpers/browser.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { opLogin, upstreamEnv } from '../../peers/oidc-upstream/op-login.js';
import { type BackchannelReceiver, startBackchannelReceiver } from './backchannel-receiver.js';
import { backchannelURI, CLIENT, type LogoutPorts, postLogoutURI, rpCallback } from './logout.config.js';

const up = upstreamEnv();
let f: TestFerry;
let ports: LogoutPorts;
let rp: client.Configuration;
let receiver: BackchannelReceiver;

before(async () => {
  ports = { rp: await freePort(), backchannel: await freePort() };
  f = await startTestFerry(
    (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
connectors:
- type: oidc
  id: upstream
  name: Upstream IdP
  config:
    issuer: ${up.issuer}
    clientID: ${up.clientID}
    clientSecret: ${up.clientSecret}
    redirectURI: ${issuer}/callback
    scopes: [profile, email]
staticClients:
- id: ${CLIENT.id}
  secret: ${CLIENT.secret}
  name: Web App
  redirectURIs: ['${rpCallback(ports)}']
  postLogoutRedirectURIs: ['${postLogoutURI(ports)}']
  backchannelLogoutURI: '${backchannelURI(ports)}'
sessions:
  backchannelLogout:
    pollInterval: 200ms
`,
  );
  rp = await client.discovery(new URL(f.issuer), CLIENT.id, CLIENT.secret, undefined, { execute: [client.allowInsecureRequests] });
  receiver = await startBackchannelReceiver(ports.backchannel, f.issuer, CLIENT.id);
});

after(async () => {
  receiver?.close();
  await f?.stop();
});

test('logout goes through the upstream end_session_endpoint and ends the session at /logout/callback', async () => {
  const ua = new UserAgent(f.issuer);
  const { url, checks } = await authRequest(rp, rpCallback(ports), 'openid email');
  const toUpstream = await ua.browse(url.href);
  assert.ok(toUpstream.redirect, 'to the upstream');
  const back = await opLogin(toUpstream.redirect.href, 'erin');
  let page = await ua.browse(back.href);
  if (!page.redirect) page = await ua.submit(readForm(page), { approval: 'approve' });
  assert.ok(page.redirect, 'back at the relying party');
  const tokens = await client.authorizationCodeGrant(rp, page.redirect, checks);
  const sid = tokens.claims()?.sid;

  assert.equal((await ua.browse(`${f.issuer}/logout/callback`)).status, 400, 'no logout in progress: refused');
  assert.equal((await f.ferry.deps.storage.listAuthSessions()).length, 1);

  const end = client.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: postLogoutURI(ports), state: 'st-9' });
  const res = await ua.request(end.href);
  assert.equal(res.status, 303);
  const upstream = new URL(res.headers.get('location') ?? '');
  const discovered = (await (await fetch(`${up.issuer}/.well-known/openid-configuration`)).json()) as { end_session_endpoint: string };
  assert.equal(upstream.origin + upstream.pathname, discovered.end_session_endpoint);
  assert.equal(upstream.searchParams.get('post_logout_redirect_uri'), `${f.issuer}/logout/callback`);
  assert.equal(upstream.searchParams.get('client_id'), up.clientID);
  const [parked] = await f.ferry.deps.storage.listAuthSessions();
  assert.equal(parked?.logoutState?.state, 'st-9', 'the session lives on until the upstream sends the browser back');

  const done = await ua.request(`${f.issuer}/logout/callback`);
  assert.equal(done.status, 302);
  assert.equal(done.headers.get('location'), `${postLogoutURI(ports)}?state=st-9`);
  assert.deepEqual(await f.ferry.deps.storage.listAuthSessions(), []);
  const [got] = await receiver.waitFor(1, 10_000);
  assert.equal(got?.claims.sid, sid);
});
