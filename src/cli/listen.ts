/** Listen addresses in dex's `host:port` form, and the startup hint that says where to log in. */

import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Config, GrpcConfig } from '../config/types.js';
import { ConfigError } from '../lib/errors.js';

/** The env var that lets the gRPC admin API listen beyond loopback without client certificates. */
export const GRPC_INSECURE_ENV = 'FERRY_GRPC_ALLOW_UNAUTHENTICATED';

/** `127.0.0.1:5556`, `:5556`, `[::1]:5556`, `0.0.0.0:80` → fastify listen options. */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(addr);
  if (!m || Number(m[2]) > 65535) throw new Error(`invalid listen address ${JSON.stringify(addr)} (want host:port)`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0';
  return { host, port: Number(m[2]) };
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' ||
  (isIP(host) === 4 && host.startsWith('127.')) ||
  host === '::1' ||
  /^::ffff:127\./i.test(host);

/**
 * `grpc.addr` → where the admin API listens. Unlike dex, an empty host (`:5557`) means loopback, and a non-loopback
 * address is refused unless clients must present a certificate (`grpc.tlsClientCA`) or the operator opts in with
 * `FERRY_GRPC_ALLOW_UNAUTHENTICATED=true` (docs/operations.md): without mutual TLS the API is open admin access.
 */
export function grpcListenAddress(grpc: GrpcConfig, env: NodeJS.ProcessEnv): { host: string; port: number } {
  const parsed = parseListenAddress(grpc.addr.startsWith(':') ? `127.0.0.1${grpc.addr}` : grpc.addr);
  const optedIn = ['1', 'true'].includes((env[GRPC_INSECURE_ENV] ?? '').toLowerCase());
  if (!isLoopback(parsed.host) && grpc.tlsClientCA === '' && !optedIn) {
    throw new ConfigError(
      `the gRPC admin API would listen on ${parsed.host} without client authentication (anyone who can reach it ` +
        `is an administrator): set grpc.tlsClientCA for mutual TLS, listen on a loopback address (e.g. 127.0.0.1:${parsed.port}), ` +
        `or accept the risk explicitly with ${GRPC_INSECURE_ENV}=true`,
      'grpc.addr',
    );
  }
  return parsed;
}

/** The startup hint: the issuer, its discovery URL and, for the first public static client, an out-of-band login. */
export interface LoginHint {
  issuer: string;
  discovery: string;
  loginURL?: string;
  /** The PKCE verifier of `loginURL` (public clients need S256 PKCE): shown on the terminal only, never logged. */
  codeVerifier?: string;
  clientId?: string;
  /** With sessions on: `a → b` for each static client that shares its sign-in (ssoSharedWith). */
  sso?: string[];
}

/** Where to start. The login URL carries a fresh S256 challenge, so the printed code can be redeemed. */
export function loginHintFields(config: Config): LoginHint {
  const fields: LoginHint = { issuer: config.issuer, discovery: `${config.issuer}/.well-known/openid-configuration` };
  const demo = config.staticClients.find((c) => c.public && c.redirectURIs.length === 0);
  if (demo) {
    const codeVerifier = randomBytes(32).toString('base64url');
    const q = new URLSearchParams({
      client_id: demo.id,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      response_type: 'code',
      scope: 'openid email profile groups',
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    Object.assign(fields, { loginURL: `${config.issuer}/auth?${q}`, codeVerifier, clientId: demo.id });
  }
  const sharing = config.staticClients.filter((c) => c.ssoSharedWith && c.ssoSharedWith.length > 0);
  if (config.sessions && sharing.length > 0) fields.sso = sharing.map((c) => `${c.id} → ${(c.ssoSharedWith ?? []).join(', ')}`);
  return fields;
}

/** The same as a few lines of text for a terminal, with the command that redeems the code. */
export function loginHint(f: LoginHint): string {
  const lines = [`Ferry is serving ${f.issuer}`, `  discovery: ${f.discovery}`];
  if (f.loginURL) {
    lines.push(`  log in:    ${f.loginURL}`);
    lines.push(
      `  redeem:    curl -s -d grant_type=authorization_code -d client_id=${f.clientId ?? ''} -d code=<code> ` +
        `-d code_verifier=${f.codeVerifier ?? ''} -d redirect_uri=urn:ietf:wg:oauth:2.0:oob ${f.issuer}/token`,
    );
  }
  if (f.sso) lines.push(`  sessions:  sign in once; single sign-on ${f.sso.join('; ')}`);
  return lines.join('\n') + '\n';
}
