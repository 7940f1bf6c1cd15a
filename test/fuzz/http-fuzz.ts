/**
 * Grammar- and property-based fuzzing of every HTTP endpoint and form (issue 12 item 10), with fast-check.
 * Requests are built from a grammar of what the endpoints read — known parameter names with valid, boundary and
 * hostile values, repeated and missing fields, several body encodings and sizes, odd headers — against a real Ferry
 * (password DB, mock connectors, device flow) whose log is captured. Properties of every answer:
 * - never a 5xx, and the process never crashes or leaves an unhandled rejection;
 * - a redirect goes only to Ferry itself or to a registered redirect URI;
 * - no token is ever issued (no request carries valid credentials, so any token is a bug);
 * - no stack trace, internal path or configured secret in a body, and none in the log.
 */

import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { startFerry, type RunningFerry } from '../../src/cli/start.js';
import { parseConfig } from '../../src/config/load.js';
import { freePort } from '../helpers/ferry.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const SECRETS = ['app-secret-8f2b', 'device-secret-91c3'];
/** Sent as passwords and secrets by the generator: must never show up in a log line. */
export const CANARY = 'canary-pass-3141';
const HASH = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W'; // bcrypt("password"), cost 10

const config = (issuer: string, listen: string) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
oauth2:
  grantTypes: [authorization_code, refresh_token, implicit, password, client_credentials, 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange']
  responseTypes: [code, token, id_token]
  passwordConnector: local
connectors:
- { type: mockCallback, id: mock, name: Mock }
- { type: mockPassword, id: pw, name: Password, config: { username: kilgore, password: trout } }
enablePasswordDB: true
staticPasswords:
- { email: admin@example.com, hash: "${HASH}", username: admin, userID: 08a8684b-db88-4b73-90a9-3cd1661f5466 }
staticClients:
- { id: app, name: App, secret: ${SECRETS[0]}, redirectURIs: ['${REDIRECT}'] }
- { id: public-app, name: Public, public: true, redirectURIs: ['${REDIRECT}'] }
- { id: device, name: Device, secret: ${SECRETS[1]}, redirectURIs: ['/dex/device/callback'] }
`;

export interface FuzzTarget {
  issuer: string;
  ferry: RunningFerry;
  logs: string[];
  stop(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const logs: string[] = [];
  const sink = new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });
  const { config: cfg } = parseConfig(config(issuer, `127.0.0.1:${port}`), {});
  const ferry = await startFerry(cfg, { logger: pino({ level: 'debug' }, sink), env: {} });
  return { issuer, ferry, logs, stop: () => ferry.stop() };
}

/** The endpoints under the issuer, each with the methods it answers. */
export const ENDPOINTS: { path: string; methods: ('GET' | 'POST')[] }[] = [
  { path: '/auth', methods: ['GET', 'POST'] },
  { path: '/auth/mock', methods: ['GET'] },
  { path: '/auth/local', methods: ['GET'] },
  { path: '/auth/local/login', methods: ['GET', 'POST'] },
  { path: '/auth/pw/login', methods: ['POST'] },
  { path: '/callback', methods: ['GET', 'POST'] },
  { path: '/callback/mock', methods: ['GET', 'POST'] },
  { path: '/approval', methods: ['GET', 'POST'] },
  { path: '/token', methods: ['POST', 'GET'] },
  { path: '/token/introspect', methods: ['POST'] },
  { path: '/token/revoke', methods: ['POST'] },
  { path: '/userinfo', methods: ['GET', 'POST'] },
  { path: '/device/code', methods: ['POST'] },
  { path: '/device', methods: ['GET'] },
  { path: '/device/auth/verify_code', methods: ['POST'] },
  { path: '/device/callback', methods: ['GET'] },
  { path: '/.well-known/openid-configuration', methods: ['GET'] },
  { path: '/keys', methods: ['GET'] },
  { path: '/healthz', methods: ['GET'] },
  { path: '/', methods: ['GET'] },
];

const NAMES = [
  'client_id', 'client_secret', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'prompt',
  'max_age', 'connector_id', 'code', 'code_verifier', 'code_challenge', 'code_challenge_method', 'grant_type',
  'refresh_token', 'username', 'password', 'login', 'csrf_token', 'req', 'hmac', 'approval', 'user_code',
  'device_code', 'token', 'token_type_hint', 'subject_token', 'subject_token_type', 'requested_token_type',
  'audience', 'error', 'back', 'SAMLResponse', 'RelayState', 'claims', 'request', 'request_uri', 'id_token_hint',
];

const hostile = fc.constantFrom(
  '', ' ', '%', '%00', '\u0000', '\u202e', '../../etc/passwd', '<script>alert(1)</script>', '"><img src=x>',
  'javascript:alert(1)', 'data:text/html,x', `${REDIRECT}?x=1`, `${REDIRECT}#frag`, 'http://evil.example/cb',
  'http://127.0.0.1:5555\\@evil.example/callback', '//evil.example', 'app', 'public-app', 'device', 'mock', 'local',
  'openid', 'openid offline_access groups', 'code', 'id_token token', 'form_post', 'fragment', 'S256', 'plain',
  'authorization_code', 'password', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange', 'admin@example.com', 'kilgore', 'BCDF-GHJK', '{"a":1}', '[]',
  'a'.repeat(5000), '🦊'.repeat(100), 'x'.repeat(300_000), CANARY,
);
const value: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) });
const field = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), value);

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=iso-8859-1', 'application/json',
  'text/plain', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/x-www-form-urlencoded;;;',
];

export interface FuzzRequest {
  method: 'GET' | 'POST';
  query: [string, string][];
  body: [string, string][] | string | null;
  contentType: string;
  headers: Record<string, string>;
}

const headerValue = fc.oneof(hostile.filter((s) => /^[\t\x20-\x7e]*$/.test(s) && s.length < 8000), fc.stringMatching(/^[\x21-\x7e]{0,40}$/));

/** A valid authorization request: subsets of it plus random fields reach the deeper steps (and the redirects). */
const VALID: [string, string][] = [
  ['client_id', 'app'], ['redirect_uri', REDIRECT], ['response_type', 'code'], ['scope', 'openid'], ['state', 'st'],
  ['connector_id', 'mock'], ['nonce', 'n'], ['grant_type', 'password'], ['username', 'admin@example.com'], ['password', CANARY],
];
const fields = fc.oneof(
  fc.array(field, { maxLength: 8 }),
  fc.tuple(fc.subarray(VALID), fc.array(field, { maxLength: 3 })).map(([base, extra]) => [...base, ...extra]),
);

export function requestFor(methods: ('GET' | 'POST')[]): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: fc.constantFrom(...methods),
    query: fields,
    body: fc.oneof(fc.constant(null), fields, fc.string({ maxLength: 200 })),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    headers: fc.record(
      {
        authorization: fc.oneof(headerValue, fc.constantFrom('Basic ' + Buffer.from('app:wrong').toString('base64'), 'Basic !!!', 'Bearer x.y.z', 'Basic ' + ' '.repeat(4000) + '!')),
        cookie: headerValue,
        origin: headerValue,
        'x-forwarded-for': headerValue,
        accept: fc.constantFrom('text/html', 'application/json', '*/*'),
      },
      { requiredKeys: [] },
    ),
  });
}

export interface Answer {
  status: number;
  location: string | null;
  body: string;
}

export async function send(issuer: string, path: string, r: FuzzRequest): Promise<Answer> {
  const url = new URL(issuer + path);
  for (const [k, v] of r.query) url.searchParams.append(k, v);
  const headers: Record<string, string> = { ...r.headers };
  let body: string | undefined;
  if (r.method === 'POST' && r.body !== null) {
    body = typeof r.body === 'string' ? r.body : r.contentType === 'application/json' ? JSON.stringify(Object.fromEntries(r.body)) : new URLSearchParams(r.body).toString();
    if (r.contentType) headers['content-type'] = r.contentType;
  }
  const res = await fetch(url, { method: r.method, headers, body, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

const LEAK = /\bat [^\n]+:\d+:\d+|node_modules|\/work\/|Error: |TypeError|ReferenceError/;

/** Throws when an answer breaks a property. */
export function checkAnswer(issuer: string, a: Answer): void {
  if (a.status >= 500) throw new Error(`5xx: ${a.status} ${a.body.slice(0, 200)}`);
  if (LEAK.test(a.body)) throw new Error(`internal detail in body: ${a.body.slice(0, 300)}`);
  for (const s of SECRETS) if (a.body.includes(s)) throw new Error('a configured secret in a body');
  if (/"(access_token|id_token|refresh_token)"\s*:/.test(a.body)) throw new Error(`a token for an invalid request: ${a.body.slice(0, 200)}`);
  if (a.location !== null) {
    const target = new URL(a.location, issuer);
    const own = target.origin === new URL(issuer).origin;
    const registered = `${target.origin}${target.pathname}` === REDIRECT;
    if (!own && !registered) throw new Error(`redirect to an unregistered URI: ${a.location}`);
  }
}

/** Log lines that break the properties (secrets, passwords typed into forms, stack traces). */
export function badLogLines(logs: string[]): string[] {
  return logs.filter((l) => [...SECRETS, CANARY].some((s) => l.includes(s)) || /"stack":"[^"]|\bat [^"]+:\d+:\d+/.test(l));
}

export interface EndpointFigures {
  endpoint: string;
  cases: number;
  statuses: Record<string, number>;
  failures: string[];
}

/** Runs `runs` generated requests against each endpoint; returns per-endpoint figures (failures listed, not thrown). */
export async function fuzzEndpoints(t: FuzzTarget, runs: number, seed?: number): Promise<EndpointFigures[]> {
  const out: EndpointFigures[] = [];
  for (const e of ENDPOINTS) {
    const fig: EndpointFigures = { endpoint: e.path, cases: 0, statuses: {}, failures: [] };
    const result = await fc.check(
      fc.asyncProperty(requestFor(e.methods), async (r) => {
        fig.cases++;
        const a = await send(t.issuer, e.path, r);
        const bucket = `${Math.floor(a.status / 100)}xx`;
        fig.statuses[bucket] = (fig.statuses[bucket] ?? 0) + 1;
        checkAnswer(t.issuer, a);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    if (result.failed) fig.failures.push(`${fc.defaultReportMessage(result)?.slice(0, 1500)}`);
    out.push(fig);
  }
  return out;
}
