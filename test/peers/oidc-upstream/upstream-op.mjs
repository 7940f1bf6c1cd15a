// A real upstream OpenID Provider for the `oidc` and `oauth` connector tests: oidc-provider 9.13.3 (pinned) on
// loopback, with its built-in devInteractions login/consent forms (any password; the login name is the account).
//
// Listens on three loopback ports (0 = pick a free one; override with OP_PORT, OP2_PORT, ADMIN_PORT):
//   main OP      discovery advertises PKCE S256; clients below
//   "nopkce" OP  the same, but discovery hides code_challenge_methods_supported (a provider without PKCE)
//   admin        POST /users/<login>/groups  (JSON array) replaces a user's groups
//                POST /users/<login>/revoke  deletes every refresh token and grant of that user
//                POST /reset                 restores every user
// When all three listen it writes {"issuer","issuerNoPKCE","admin"} to $READY_FILE.
//
// Redirect URIs: every client is a *native* client registered with `http://127.0.0.1/dex/callback` (and
// `/callback`); oidc-provider then accepts any port on the loopback IP (RFC 8252 §7.3), so Ferry's random test
// port needs no fixed port and no patched redirect check.
//
// Clients (secret `ferry-secret` for all):
//   ferry       client_secret_basic, code + refresh
//   ferry-post  client_secret_post only: Basic authentication at /token is answered 401 invalid_client
//   ferry-pkce  PKCE required
//   ferry-noid  refresh responses carry no id_token (the token response is trimmed)
//   ferry-jwt   access tokens are JWTs carrying `groups`; /ext/userinfo accepts them (without groups)
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet } from 'jose';

const SECRET = 'ferry-secret';
const JWT_API = 'urn:ferry:upstream-api';
const REDIRECTS = ['http://127.0.0.1/dex/callback', 'http://127.0.0.1/callback'];

const baseUsers = () => ({
  janedoe: { email: 'janedoe@example.org', email_verified: true, name: 'Jane Doe', preferred_username: 'janedoe', groups: ['admins', 'developers'] },
  johndoe: { email: 'johndoe@example.org', email_verified: false, name: 'John Doe', preferred_username: 'johndoe', groups: ['developers'] },
  alice: { email: 'alice@example.org', email_verified: true, name: 'Alice Liddell', preferred_username: 'alice', groups: ['admins', 'developers', 'ops'] },
  bob: { email: 'bob@example.org', email_verified: true, name: 'Bob Builder', preferred_username: 'bob', groups: ['builders', 'ops'] },
  mapped: {
    name: 'Mapped User', email_verified: true, groups: ['plain'],
    employee_id: 'E-1001', login_name: 'mapped.user', mail: 'mapped@corp.example', nickname: 'mappy',
    roles: [{ name: 'role-a' }, { name: 'role-b' }], department: 'eng', team: 'core:infra',
  },
  thin: { email: 'thin@example.org', email_verified: true, name: 'Thin Token', preferred_username: 'thin', groups: ['thin-group'], thinIdToken: true },
  carol: { email: 'carol@example.org', email_verified: true, name: 'Carol Refresh', preferred_username: 'carol', groups: ['readers', 'writers'] },
  erin: { email: 'erin@example.org', email_verified: true, name: 'Erin Enduser', preferred_username: 'erin', groups: ['admins', 'developers'] },
  noverify: { email: 'noverify@example.org', name: 'No Verified Claim', preferred_username: 'noverify', groups: [] },
  nogroups: { email: 'nogroups@example.org', email_verified: true, name: 'No Groups', preferred_username: 'nogroups', groups: [] },
});
let users = baseUsers();

const accountClaims = (id, use) => {
  const u = users[id] ?? { email: `${id}@example.org`, email_verified: true, name: id, preferred_username: id, groups: [] };
  const { thinIdToken, ...claims } = u;
  return use === 'id_token' && thinIdToken ? { sub: id } : { sub: id, ...claims };
};

// A minimal in-memory adapter (one Map per model) that can also drop a user's refresh tokens for the admin API.
const stores = new Map();
class MapAdapter {
  constructor(name) {
    this.name = name;
    if (!stores.has(name)) stores.set(name, new Map());
    this.store = stores.get(name);
  }
  async upsert(id, payload, expiresIn) {
    this.store.set(id, { payload, exp: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
  }
  async find(id) {
    const e = this.store.get(id);
    if (!e || e.exp < Date.now()) return undefined;
    return e.payload;
  }
  async findByUid(uid) {
    for (const [id, e] of this.store) if (e.payload.uid === uid) return this.find(id);
    return undefined;
  }
  async findByUserCode(code) {
    for (const [id, e] of this.store) if (e.payload.userCode === code) return this.find(id);
    return undefined;
  }
  async consume(id) {
    const e = this.store.get(id);
    if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId) {
    for (const s of stores.values()) for (const [id, e] of s) if (e.payload.grantId === grantId) s.delete(id);
  }
}

function revokeUser(login) {
  let n = 0;
  for (const name of ['RefreshToken', 'Grant', 'Session']) {
    for (const [id, e] of stores.get(name) ?? []) {
      if (e.payload.accountId === login || e.payload.account === login) {
        stores.get(name).delete(id);
        n++;
      }
    }
  }
  return n;
}

const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: 'upstream-1', alg: 'RS256', use: 'sig' };
const publicJwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'upstream-1', alg: 'RS256' }] });

const client = (id, extra = {}) => ({
  client_id: id, client_secret: SECRET, application_type: 'native', redirect_uris: REDIRECTS,
  grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', ...extra,
});

function makeProvider(issuer) {
  const provider = new Provider(issuer, {
    adapter: MapAdapter,
    jwks: { keys: [signingJwk] },
    clients: [client('ferry'), client('ferry-post', { token_endpoint_auth_method: 'client_secret_post' }), client('ferry-pkce'), client('ferry-noid'), client('ferry-jwt')],
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups', 'extra'],
    claims: {
      openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'nickname'], groups: ['groups'],
      extra: ['employee_id', 'login_name', 'mail', 'roles', 'department', 'team'],
    },
    conformIdTokenClaims: false, // scope claims go into the ID token too (dex reads the ID token)
    pkce: { required: (_ctx, c) => c.clientId === 'ferry-pkce' },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, c) => (c.clientId === 'ferry-jwt' ? JWT_API : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api', audience: JWT_API, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    extraTokenClaims: (ctx, token) => (token.kind === 'AccessToken' && token.aud === JWT_API ? { groups: [...(accountClaims(token.accountId).groups ?? [])] } : undefined),
    cookies: { keys: ['upstream-test-cookie-key'] },
    issueRefreshToken: async (ctx, c, code) => c.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: { AccessToken: 3600, AuthorizationCode: 600, IdToken: 3600, RefreshToken: 86400, Interaction: 3600, Session: 86400, Grant: 86400 },
    async findAccount(_ctx, id) {
      return { accountId: id, async claims(use) { return accountClaims(id, use); } };
    },
  });
  provider.proxy = false;
  provider.use(async (ctx, next) => {
    // oidc-provider accepts Basic and body secrets alike; ferry-post behaves like providers that refuse Basic.
    const basic = /^basic (.+)$/i.exec(ctx.headers.authorization ?? '')?.[1];
    if (ctx.path === '/token' && basic && decodeURIComponent(Buffer.from(basic, 'base64').toString().split(':')[0]) === 'ferry-post') {
      ctx.status = 401;
      ctx.body = { error: 'invalid_client', error_description: 'client_secret_basic is not accepted for this client' };
      return;
    }
    await next();
    if (ctx.path === '/token' && ctx.oidc?.client?.clientId === 'ferry-noid' && ctx.oidc.params?.grant_type === 'refresh_token' && ctx.body) {
      delete ctx.body.id_token;
    }
  });
  return provider;
}

// userinfo for JWT access tokens (oidc-provider's own /me refuses tokens with an audience); no groups here.
async function extUserinfo(req, res, issuer) {
  try {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const { payload } = await jwtVerify(token, publicJwks, { issuer, audience: JWT_API });
    const { groups: _groups, ...claims } = accountClaims(String(payload.sub), 'userinfo');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(claims));
  } catch {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
  }
}

const listen = (handler, port) =>
  new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });

// Reserve the ports first, since each provider needs its issuer (with the port) at construction time.
let main;
let mainHandler;
let nopkceHandler;
const mainPort = await listen((req, res) => (req.url.startsWith('/ext/userinfo') ? extUserinfo(req, res, main.issuer) : mainHandler(req, res)), Number(process.env.OP_PORT ?? 0));
const nopkcePort = await listen((req, res) => nopkceHandler(req, res), Number(process.env.OP2_PORT ?? 0));
main = makeProvider(`http://127.0.0.1:${mainPort}`);
const nopkce = makeProvider(`http://127.0.0.1:${nopkcePort}`);
nopkce.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/.well-known/openid-configuration' && ctx.body) delete ctx.body.code_challenge_methods_supported;
});
mainHandler = main.callback();
nopkceHandler = nopkce.callback();

const body = (req) => new Promise((resolve) => {
  let b = '';
  req.on('data', (c) => (b += c));
  req.on('end', () => resolve(b));
});
const adminPort = await listen(async (req, res) => {
  const send = (status, value) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  const m = /^\/users\/([^/]+)\/(groups|revoke)$/.exec(req.url ?? '');
  if (req.method === 'POST' && req.url === '/reset') {
    users = baseUsers();
    return send(200, { ok: true });
  }
  if (req.method !== 'POST' || !m || !users[m[1]]) return send(404, { error: 'not found' });
  if (m[2] === 'revoke') return send(200, { revoked: revokeUser(m[1]) });
  const groups = JSON.parse((await body(req)) || '[]');
  if (!Array.isArray(groups)) return send(400, { error: 'expected an array' });
  users[m[1]].groups = groups;
  return send(200, { groups });
}, Number(process.env.ADMIN_PORT ?? 0));

const ready = { issuer: main.issuer, issuerNoPKCE: nopkce.issuer, admin: `http://127.0.0.1:${adminPort}` };
if (process.env.READY_FILE) writeFileSync(process.env.READY_FILE, JSON.stringify(ready));
console.error(`oidc-upstream ready: ${JSON.stringify(ready)}`);
