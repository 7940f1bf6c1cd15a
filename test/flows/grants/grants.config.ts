/**
 * Fixture for the grant and endpoint flows of issue 5 (device flow, client credentials, password, token exchange,
 * introspection, revocation, implicit/hybrid, form_post): one dex-format config, a movable clock, and small HTTP
 * helpers that collect every answer so a test can assert no 5xx and no leaked internals.
 */

import assert from 'node:assert/strict';
import { hash } from '@node-rs/bcrypt';
import * as client from 'openid-client';
import { DEX_V2_45_ENV, startTestFerry, type TestFerry } from '../../helpers/ferry.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const ADMIN = { email: 'admin@example.com', password: 'password', userId: '08a8684b-db88-4b73-90a9-3cd1661f5466' };
export const SECRETS = { app: 'app-secret', device: 'device-secret', restricted: 'restricted-secret', other: 'other-secret' };
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A clock the test moves: real time plus an offset. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

export interface GrantsOptions {
  /** The `oauth2.passwordConnector`; default `local` (the password DB). */
  passwordConnector?: string;
  /** More `connectors:` entries (YAML list items), as a function of the issuer. */
  connectors?: (issuer: string) => string;
}

export async function grantsConfig(opts: GrantsOptions = {}): Promise<(issuer: string, listen: string) => string> {
  const adminHash = await hash(ADMIN.password, 10);
  return (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
oauth2:
  grantTypes: [authorization_code, refresh_token, implicit, password, client_credentials, '${DEVICE_GRANT}', '${EXCHANGE_GRANT}']
  responseTypes: [code, token, id_token]
  passwordConnector: ${opts.passwordConnector ?? 'local'}
expiry:
  deviceRequests: 5m
connectors:
- type: mockCallback
  id: mock
  name: Mock
- type: mockCallback
  id: mock-b
  name: Mock B
- type: mockCallback
  id: mock-code-only
  name: Code only
  grantTypes: [authorization_code]
- type: mockCallback
  id: mock-implicit-only
  name: Implicit only
  grantTypes: [implicit]
- type: mockPassword
  id: pw-code-only
  name: Password, code only
  grantTypes: [authorization_code]
  config:
    username: kilgore
    password: trout
${opts.connectors?.(issuer) ?? ''}
enablePasswordDB: true
staticPasswords:
- email: ${ADMIN.email}
  hash: "${adminHash}"
  username: admin
  preferredUsername: admin
  userID: ${ADMIN.userId}
  groups: [team-a]
staticClients:
- id: app
  name: App
  secret: ${SECRETS.app}
  redirectURIs: ['${REDIRECT}']
- id: public-app
  name: Public App
  public: true
  redirectURIs: ['${REDIRECT}']
- id: other
  name: Other
  secret: ${SECRETS.other}
  redirectURIs: ['${REDIRECT}']
  trustedPeers: [app]
- id: device-public
  name: TV App
  public: true
- id: device-conf
  name: Confidential Device
  secret: ${SECRETS.device}
  redirectURIs: ['${new URL(issuer).pathname}/device/callback']
- id: restricted
  name: Restricted
  secret: ${SECRETS.restricted}
  redirectURIs: ['${REDIRECT}', '${new URL(issuer).pathname}/device/callback']
  allowedConnectors: [mock-b]
`;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** A running Ferry plus the helpers every grants test uses. */
export interface GrantsFixture {
  f: TestFerry;
  clock: TestClock;
  /** Every answer received through `post`/`get`, for the closing checks. */
  answers: Answer[];
  post(path: string, form: Record<string, string>, init?: { auth?: [string, string]; headers?: Record<string, string> }): Promise<Answer>;
  request(path: string, init?: RequestInit): Promise<Answer>;
  rp(clientId: string, auth: client.ClientAuth): Promise<client.Configuration>;
  stop(): Promise<void>;
}

export const basic = (id: string, secret: string) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

export async function startGrantsFerry(opts: GrantsOptions = {}): Promise<GrantsFixture> {
  const clock = testClock();
  // The grants' browser part is dex v2.45.1's (approval on every login); sessions: test/flows/sessions/.
  const f = await startTestFerry(await grantsConfig(opts), { now: clock.now, env: DEX_V2_45_ENV });
  const answers: Answer[] = [];
  const request = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const r = await fetch(path.startsWith('http') ? path : f.issuer + path, { redirect: 'manual', ...init });
    const text = await r.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (a page, or empty)
    }
    const a = { status: r.status, headers: r.headers, text, json };
    answers.push(a);
    return a;
  };
  return {
    f,
    clock,
    answers,
    request,
    post: (path, form, init = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...init.headers };
      if (init.auth) headers.authorization = basic(...init.auth);
      return request(path, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
    },
    rp: async (clientId, auth) => client.discovery(new URL(f.issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] }),
    stop: () => f.stop(),
  };
}

/** Asserts an OAuth JSON error with exact code (and description when given). */
export function assertOAuthError(a: Answer, status: number, error: string, description?: string | RegExp): void {
  assert.equal(a.status, status, a.text);
  assert.equal(a.json.error, error, a.text);
  assert.equal(typeof a.json.error_description, 'string');
  if (typeof description === 'string') assert.equal(a.json.error_description, description);
  else if (description) assert.match(String(a.json.error_description), description);
  assert.equal(a.headers.get('cache-control'), 'no-store');
}

/** The closing check of every file: no 5xx, no stack trace or internal message in any body. */
export function assertNoLeaks(answers: Answer[]): void {
  for (const a of answers) {
    assert.ok(a.status < 500, `a 5xx answer: ${a.status} ${a.text.slice(0, 200)}`);
    assert.doesNotMatch(a.text, /\bat .+:\d+:\d+|Error:|node_modules/, `leaky body: ${a.text.slice(0, 200)}`);
  }
}
