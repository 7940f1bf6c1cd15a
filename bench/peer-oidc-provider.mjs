// The benchmark peer: oidc-provider 9.13.3 (panva) on 127.0.0.1, configured to do the same work as Ferry's bench
// config: RS256, confidential clients with client_secret_basic, refresh tokens rotated on every use, a login form
// that checks one fixed username/password, then a consent form. devInteractions are off; the small interaction
// handler below plays the part of Ferry's password form and approval page.
// Env: PORT (required), CLIENTS (count, default 16), CLIENT_SECRET, REDIRECT_URI, BENCH_USER, BENCH_PASSWORD.
import { generateKeyPair } from 'node:crypto';
import http from 'node:http';
import { promisify } from 'node:util';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT);
const ISSUER = `http://127.0.0.1:${PORT}`;
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const SECRET = process.env.CLIENT_SECRET ?? 'bench-secret';
const REDIRECT_URI = process.env.REDIRECT_URI ?? 'http://127.0.0.1:1/cb';
const USER = process.env.BENCH_USER ?? 'bench';
const PASSWORD = process.env.BENCH_PASSWORD ?? 'bench';

// In-memory adapter without the built-in one's 1000-entry LRU cap (which would evict live refresh tokens).
const stores = new Map();
class MemoryAdapter {
  constructor(model) {
    this.model = model;
    if (!stores.has(model)) stores.set(model, new Map());
    this.store = stores.get(model);
  }
  async upsert(id, payload, expiresIn) {
    this.store.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
  }
  async find(id) {
    const e = this.store.get(id);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) { this.store.delete(id); return undefined; }
    return e.payload;
  }
  async findByUid(uid) {
    for (const [id, e] of this.store) if (e.payload.uid === uid) return this.find(id);
    return undefined;
  }
  async findByUserCode() { return undefined; }
  async consume(id) {
    const e = this.store.get(id);
    if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) { this.store.delete(id); }
  async revokeByGrantId(grantId) {
    for (const store of stores.values()) for (const [id, e] of store) if (e.payload.grantId === grantId) store.delete(id);
  }
}

const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'bench-rs256' };

const provider = new Provider(ISSUER, {
  adapter: MemoryAdapter,
  jwks: { keys: [jwk] },
  clients: Array.from({ length: CLIENTS }, (_, i) => ({
    client_id: `bench-${i}`,
    client_secret: SECRET,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  pkce: { required: () => false },
  features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true }, introspection: { enabled: true } },
  cookies: { keys: ['bench-cookie-key'] },
  rotateRefreshToken: true,
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  ttl: { AccessToken: 3600, AuthorizationCode: 600, IdToken: 3600, RefreshToken: 86400, Interaction: 3600, Session: 86400, Grant: 86400 },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: 'kilgore@kilgore.trout', email_verified: true, name: 'Kilgore Trout' }; } };
  },
});
provider.proxy = false;

const page = (title, body) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10_000) throw new Error('form too large');
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const html = (s, b) => { res.writeHead(s, { 'content-type': 'text/html; charset=utf-8' }); res.end(b); };
  if (req.method === 'GET') {
    if (details.prompt.name === 'login') {
      return html(200, page('Log in', `<form method="post" action="/interaction/${uid}/login">` +
        '<input type="text" name="login"><input type="password" name="password"><button type="submit">Login</button></form>'));
    }
    return html(200, page('Grant access', `<form method="post" action="/interaction/${uid}/confirm">` +
      '<input type="hidden" name="approval" value="approve"><button type="submit">Grant Access</button></form>'));
  }
  const form = await readForm(req);
  if (action === 'login') {
    if (form.login !== USER || form.password !== PASSWORD) return html(401, page('Invalid credentials', ''));
    return provider.interactionFinished(req, res, { login: { accountId: 'bench-user' } }, { mergeWithLastSubmission: false });
  }
  const { prompt: { details: missing }, params, session, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const consent = { grantId: await grant.save() };
  return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer((req, res) => {
  const m = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(req.url.split('?')[0]);
  if (!m) return callback(req, res);
  interaction(req, res, m[1], m[2]).catch((err) => {
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${err.message}`);
  });
}).listen(PORT, '127.0.0.1', () => console.log(`oidc-provider peer listening on ${ISSUER}`));
