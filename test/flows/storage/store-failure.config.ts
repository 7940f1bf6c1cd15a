/**
 * Fixture for the store-failure flows: a dex-format config on a private PostgreSQL cluster (with telemetry), and
 * the client side of a login (mock connector, approval skipped) and of the token endpoint.
 */

import type { PostgresPeer } from '../../peers/postgres/database.js';
import { UserAgent } from '../../helpers/user-agent.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
/** One client per refresh chain: a login replaces the (user, connector, client)'s previous refresh token. */
export const CLIENTS = ['app-0', 'app-1', 'app-2', 'app-3'];
const basic = (clientId: string) => `Basic ${Buffer.from(`${clientId}:secret`).toString('base64')}`;

export const storeFailureConfig =
  (pg: PostgresPeer, telemetryPort: number) =>
  (issuer: string, listen: string): string => `
issuer: ${issuer}
storage:
  type: postgres
  config:
    host: ${pg.host}:${pg.port}
    database: ${pg.database}
    user: ${pg.user}
    password: ${pg.password}
    connectionTimeout: 2
    ssl:
      mode: disable
web:
  http: ${listen}
telemetry:
  http: 127.0.0.1:${telemetryPort}
oauth2:
  skipApprovalScreen: true
expiry:
  refreshTokens:
    reuseInterval: 0s
connectors:
- type: mockCallback
  id: mock
  name: Example
staticClients:
${CLIENTS.map((id) => `- { id: ${id}, secret: secret, name: ${id}, redirectURIs: ['${REDIRECT}'] }`).join('\n')}
`;

export interface TokenReply {
  status: number;
  body: Record<string, string>;
}

export async function token(issuer: string, clientId: string, form: Record<string, string>): Promise<TokenReply & { headers: Headers }> {
  const r = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { authorization: basic(clientId), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, string> };
}

export const refresh = (issuer: string, clientId: string, refreshToken: string) =>
  token(issuer, clientId, { grant_type: 'refresh_token', refresh_token: refreshToken });

/** A whole login through the browser flow and the code exchange; stops at the first failure. */
export async function login(issuer: string, clientId: string): Promise<{ status: number; html?: string; refreshToken?: string }> {
  const ua = new UserAgent(issuer);
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access', state: 's', connector_id: 'mock' });
  const page = await ua.browse(`${issuer}/auth?${q}`);
  const code = page.redirect?.searchParams.get('code');
  if (!code) return { status: page.status, html: page.html };
  const t = await token(issuer, clientId, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  return { status: t.status, refreshToken: t.body.refresh_token };
}
