/**
 * Google API simulation: OpenID discovery (`/.well-known/openid-configuration`), a JWKS (`/oauth2/v3/certs`), the
 * authorize endpoint (`/o/oauth2/v2/auth`), a token endpoint (`/token`) that answers the authorization_code and
 * refresh_token grants with an RS256 `id_token` (sub, email, email_verified, name, hd; refresh tokens are not
 * rotated, access tokens last 1 h) and the service-account JWT bearer grant (RFC 7523, domain-wide delegation),
 * and the Admin SDK Directory API `GET /admin/directory/v1/groups?userKey=…` (200 a page, `nextPageToken`).
 * `tokenRoute` is also used by the Microsoft simulation for its client-assertion support.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { json, startApiSim, type ApiSim, type Route, type SimReply, type SimRequest } from './api-sim.js';

export interface GoogleSimUser {
  sub: string;
  name: string;
  email: string;
  emailVerified: boolean;
  /** Hosted domain (Workspace); empty for consumer accounts. */
  hd: string;
  /** Direct group emails. */
  groups: string[];
}

export const GOOGLE_CLIENT = { clientId: 'google-client.apps.example', clientSecret: 'google-secret-do-not-log' };
export const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.group.readonly';

/**
 * alice: Workspace user of example.com in eng@ (itself in all-staff@, itself in everyone@). bob: consumer account,
 * email not verified. carol: other.example, in no group. dave: 1,500 groups. erin: ID tokens without `name`.
 */
export function googleUsers(): Record<string, GoogleSimUser> {
  const u = (sub: string, name: string, email: string, hd: string, groups: string[], emailVerified = true) => ({ sub, name, email, emailVerified, hd, groups });
  return {
    alice: u('110000000000000000001', 'Alice Liddell', 'alice@example.com', 'example.com', ['eng@example.com', 'admins@example.com']),
    bob: u('110000000000000000002', 'Bob', 'bob@gmail.example', '', [], false),
    carol: u('110000000000000000003', 'Carol', 'carol@other.example', 'other.example', []),
    dave: u('110000000000000000004', 'Dave', 'dave@example.com', 'example.com', Array.from({ length: 1500 }, (_, i) => `g${String(i + 1).padStart(4, '0')}@example.com`)),
    erin: u('110000000000000000005', '', 'erin@example.com', 'example.com', ['eng@example.com']),
  };
}

/** Group → the groups it is a member of. */
export const GROUP_PARENTS: Record<string, string[]> = { 'eng@example.com': ['all-staff@example.com'], 'all-staff@example.com': ['everyone@example.com'], 'everyone@example.com': ['eng@example.com'] };

export interface GoogleSim extends ApiSim<GoogleSimUser> {
  /** Writes a service-account key file whose public key the simulation trusts; returns its path. */
  serviceAccountFile(opts?: { tokenURI?: string }): Promise<string>;
  /** Admins that may be impersonated (domain-wide delegation granted). */
  admins: Set<string>;
  /** Assertions the JWT bearer grant accepted (their claims), for asserting the grant. */
  grants: Record<string, unknown>[];
  /** Replaces the signing key (a new `kid`), as Google's rotation does. */
  rotateKey(): Promise<void>;
  /** Spoils the next ID tokens: signed by a key not in the JWKS, for another audience or issuer, or expired. */
  tamper: 'signature' | 'audience' | 'issuer' | 'expired' | null;
}

function clientOf(req: SimRequest): { id: string; secret: string } {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  return { id: req.form.get('client_id') ?? '', secret: req.form.get('client_secret') ?? '' };
}

const oauthError = (error: string, status = 400): SimReply => json({ error, error_description: `${error} (simulated)` }, status);

/**
 * A token endpoint for the authorization_code and refresh_token grants over `book`, with the client checked by
 * `clientOk` and the answer extended by `extend` (an `id_token`, for Google).
 */
export function tokenRoute<U>(path: string, clientOk: (req: SimRequest, client: { id: string; secret: string }) => boolean,
  extend: (body: Record<string, unknown>, userKey: string, scopes: string[]) => Promise<Record<string, unknown>> = async (b) => b,
  other?: (req: SimRequest) => Promise<SimReply> | null): Route<U> {
  return {
    method: 'POST',
    path,
    auth: false,
    async handle(req, { sim }) {
      const book = sim.tokens;
      const custom = other?.(req);
      if (custom) return custom;
      const client = clientOf(req);
      if (!clientOk(req, client)) return oauthError('invalid_client', 401);
      const grantType = req.form.get('grant_type');
      if (grantType === 'authorization_code') {
        const grant = book.takeCode(req.form.get('code') ?? '', client.id, req.form.get('redirect_uri'));
        return grant ? json(await extend(book.issue(grant), grant.userKey, grant.scopes)) : oauthError('invalid_grant');
      }
      if (grantType === 'refresh_token') {
        const body = book.redeemRefresh(req.form.get('refresh_token') ?? '');
        const grant = body ? book.check(String(body.access_token)) : null;
        return body && grant ? json(await extend(body, grant.userKey, grant.scopes)) : oauthError('invalid_grant');
      }
      return oauthError('unsupported_grant_type');
    },
  };
}

export async function startGoogleSim(users = googleUsers()): Promise<GoogleSim> {
  let signing = await generateKeyPair('RS256');
  let kid = 'sim-key-1';
  const jwks: JWK[] = [];
  const publish = async () => void jwks.unshift({ ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' });
  await publish();
  const accounts = new Map<string, CryptoKey>();
  const serviceTokens = new Map<string, { subject: string; expiresAt: number }>();

  async function idToken(body: Record<string, unknown>, userKey: string): Promise<Record<string, unknown>> {
    const u = users[userKey];
    if (!u) return body;
    const claims: Record<string, unknown> = { email: u.email, email_verified: u.emailVerified, at_hash: 'sim' };
    if (u.name) claims.name = u.name;
    if (u.hd) claims.hd = u.hd;
    const iat = Math.floor(sim.now() / 1000) - (sim.tamper === 'expired' ? 7200 : 0);
    const key = sim.tamper === 'signature' ? (await generateKeyPair('RS256')).privateKey : signing.privateKey;
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(sim.tamper === 'issuer' ? 'https://evil.example' : sim.url)
      .setSubject(u.sub).setAudience(sim.tamper === 'audience' ? 'another-client' : GOOGLE_CLIENT.clientId).setIssuedAt(iat).setExpirationTime(iat + 3600).sign(key);
    return { ...body, id_token: token };
  }

  async function jwtBearer(req: SimRequest): Promise<SimReply> {
    const assertion = req.form.get('assertion') ?? '';
    const iss = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString() || '{}').iss as string;
    const key = accounts.get(iss);
    if (!key) return oauthError('invalid_grant');
    try {
      const { payload } = await jwtVerify(assertion, key, { audience: `${sim.url}/token`, currentDate: new Date(sim.now()) });
      if (payload.scope !== DIRECTORY_SCOPE || !sim.admins.has(String(payload.sub))) return oauthError('unauthorized_client');
      sim.grants.push(payload);
      const token = `ya29.sa_${Math.random().toString(36).slice(2)}${Date.now()}`;
      serviceTokens.set(token, { subject: String(payload.sub), expiresAt: sim.now() + 3600_000 });
      return json({ access_token: token, expires_in: 3599, token_type: 'Bearer' });
    } catch {
      return oauthError('invalid_grant');
    }
  }

  function directory(req: SimRequest): SimReply {
    const bearer = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const grant = serviceTokens.get(bearer);
    if (!grant || grant.expiresAt <= sim.now()) return json({ error: { code: 401, message: 'Invalid Credentials' } }, 401);
    const key = req.query.get('userKey') ?? '';
    const user = Object.values(users).find((u) => u.email === key);
    const direct = user ? user.groups : GROUP_PARENTS[key];
    if (!direct && !Object.values(users).some((u) => u.groups.includes(key))) return json({ error: { code: 404, message: 'Resource Not Found: userKey' } }, 404);
    const size = Math.min(Number(req.query.get('maxResults') ?? 200) || 200, 200);
    const start = Number(Buffer.from(req.query.get('pageToken') ?? '', 'base64url').toString() || 0);
    const page = (direct ?? []).slice(start, start + size).map((email) => ({ kind: 'admin#directory#group', id: `id-${email}`, email, name: email.split('@')[0] }));
    const body: Record<string, unknown> = { kind: 'admin#directory#groups', etag: '"sim"', groups: page };
    if (start + size < (direct ?? []).length) body.nextPageToken = Buffer.from(String(start + size)).toString('base64url');
    return json(body);
  }

  const routes: Route<GoogleSimUser>[] = [
    { path: '/.well-known/openid-configuration', auth: false, handle: () => json({
      issuer: sim.url, authorization_endpoint: `${sim.url}/o/oauth2/v2/auth`, token_endpoint: `${sim.url}/token`,
      jwks_uri: `${sim.url}/oauth2/v3/certs`, userinfo_endpoint: `${sim.url}/v1/userinfo`, response_types_supported: ['code'],
      subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    }) },
    { path: '/oauth2/v3/certs', auth: false, handle: () => json({ keys: jwks }) },
    tokenRoute<GoogleSimUser>('/token', (_r, c) => c.id === GOOGLE_CLIENT.clientId && c.secret === GOOGLE_CLIENT.clientSecret, idToken,
      (req) => (req.form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' ? jwtBearer(req) : null)),
    { path: '/admin/directory/v1/groups', auth: false, handle: directory },
  ];
  const base = await startApiSim<GoogleSimUser>({
    users,
    // The helper's token route is parked on an unused path: `/token` above adds the id_token and the JWT grant.
    oauth: { ...GOOGLE_CLIENT, authorizePath: '/o/oauth2/v2/auth', tokenPath: '/sim/unused-token', accessTokenTtl: 3600, rotateRefreshTokens: false },
    routes,
    unauthorized: json({ error: { code: 401, message: 'Request had invalid authentication credentials.' } }, 401),
  });
  const sim: GoogleSim = Object.assign(base, {
    admins: new Set(['admin@example.com']),
    tamper: null as GoogleSim['tamper'],
    grants: [] as Record<string, unknown>[],
    async serviceAccountFile(opts: { tokenURI?: string } = {}) {
      const pair = await generateKeyPair('RS256', { extractable: true });
      const email = `ferry-${accounts.size}@sim-project.iam.gserviceaccount.com`;
      accounts.set(email, pair.publicKey);
      const file = join(mkdtempSync(join(tmpdir(), 'ferry-google-sa-')), 'sa.json');
      writeFileSync(file, JSON.stringify({
        type: 'service_account', project_id: 'sim-project', private_key_id: `kid-${accounts.size}`, private_key: await exportPKCS8(pair.privateKey),
        client_email: email, client_id: '1234567890', token_uri: opts.tokenURI ?? `${sim.url}/token`,
      }));
      return file;
    },
    async rotateKey() {
      signing = await generateKeyPair('RS256');
      kid = `sim-key-${jwks.length + 1}`;
      await publish();
    },
  });
  return sim;
}
