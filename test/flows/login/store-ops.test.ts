/**
 * The store operations of one full password login with sessions on (issue 13 item 4), counted on the storage
 * facade: authorize → password form → POST → (consent remembered) → code → code exchange. A login of a returning
 * user from a known address, in a fresh browser, makes exactly the operations listed; a change that adds one
 * (a second read of the same record, a write then rewritten, a failed write) shows up here.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../../../src/storage/storage.js';
import { freePort } from '../../helpers/ferry.js';
import { APP_REDIRECT as REDIRECT, instrumentedServer } from '../../helpers/instrumented-server.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';

const ops: string[] = [];
let app: FastifyInstance;
let issuer = '';

/** `storage` with every call recorded by name, failed ones as `name!`. */
function recording(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const name = String(prop);
        ops.push(name);
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (out instanceof Promise) out.catch(() => ops.push(`${name}!`));
        return out;
      };
    },
  });
}

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}/dex`;
  app = await instrumentedServer({
    yaml: `
issuer: ${issuer}
storage: {type: memory}
web: {http: 127.0.0.1:${port}}
connectors:
- {type: mockPassword, id: pw, name: Password, config: {username: kilgore, password: trout}}
`,
    storage: recording,
  });
  await app.listen({ host: '127.0.0.1', port });
});

after(() => app.close());

/** One login in a fresh browser; approves when asked. Returns the code exchange's answer. */
async function login(): Promise<Record<string, string>> {
  const ua = new UserAgent(issuer);
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email offline_access', state: 's', connector_id: 'pw' });
  const form = await ua.browse(`${issuer}/auth?${q}`);
  assert.equal(form.status, 200);
  let page = await ua.submit(readForm(form), { login: 'kilgore', password: 'trout' });
  if (!page.redirect) page = await ua.submit(readForm(page), { approval: 'approve' });
  const code = page.redirect?.searchParams.get('code');
  assert.ok(code, `a code: ${page.status} ${page.html.slice(0, 200)}`);
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString(),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, string>;
}

test('a returning user in a fresh browser: each record read or written once, no failed operation', async () => {
  await login();
  ops.length = 0;
  const tokens = await login();
  assert.ok(tokens.id_token && tokens.refresh_token);
  const connectorReads = ops.filter((o) => o === 'listConnectors').length;
  assert.equal(connectorReads, 3, 'the connector list once per request: /auth, the form, the POST');
  assert.deepEqual(ops.filter((o) => o !== 'listConnectors' && o !== 'getClient'), [
    // POST of the password form: the throttle (count address and account, give back, clear) ...
    'updateThrottle', 'createThrottle', 'updateThrottle', 'deleteThrottle',
    // ... the identity (lock check and last login in one update), the request, the browser session;
    'updateUserIdentity', 'createAuthRequest', 'createAuthSession',
    // the dispatcher: the request, the remembered consent, the response (request spent, session touched, code);
    'getAuthRequest', 'getUserIdentity', 'deleteAuthRequest', 'updateAuthSession', 'createAuthCode',
    // the code exchange: the code, its redeemed mark, the code spent, the refresh token and the user's sessions.
    'getAuthCode', 'createRevokedToken', 'deleteAuthCode', 'createRefresh', 'updateOfflineSessions',
  ]);
});
