/**
 * Turns the decoded tree into `Config`: every default from dex (dex v2.45.1 `cmd/dex/config.go`, `cmd/dex/serve.go`, `server/server.go`), the CLI overrides,
 * `DEX_FRONTEND_DIR`, env expansion of plugin configs, and the per-section builders. Problems found on the way
 * (bad durations, missing client names, unknown signer type, ...) go to `ctx.issues`; cross-field rules live in
 * `validate.ts`.
 */

import { parseLogLevel } from '../lib/logger.js';
import { type Config, type ConnectorConfig, LISTENER_TIMEOUTS, type ListenerTimeouts, type LoggerConfig, type SecurityHeader } from './types.js';
import { type BuildContext, durationAt, pluginConfig } from './build-context.js';
import { buildSigner } from './build-signer.js';
import { type Decoded, read } from './decode.js';
import { buildMFA, buildSessions } from './sessions.js';
import { buildStaticClients } from './static-clients.js';
import { buildAccessTokenFormats } from './access-token-format.js';
import { buildStaticPasswords } from './static-passwords.js';

/** Listen addresses given on the command line; they win over the file (dex `applyConfigOverrides`). */
export interface ConfigOverrides {
  webHTTPAddr?: string;
  webHTTPSAddr?: string;
  telemetryAddr?: string;
  grpcAddr?: string;
}

const HOUR = 3_600_000;
// A zero `idTokens`/`authRequests`/`deviceRequests` means "default" in dex, hence the `|| default` below.

/** dex's default `oauth2.grantTypes` (the server later keeps only the grants it can offer). */
export const DEFAULT_GRANT_TYPES: readonly string[] = [
  'authorization_code',
  'implicit',
  'password',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

/** A non-empty list, or the default (Go treats an empty list like an absent one here). */
const listOr = (list: string[] | undefined, fallback: readonly string[]): string[] =>
  list && list.length > 0 ? list : [...fallback];

export function buildConfig(tree: Decoded, ctx: BuildContext, overrides: ConfigOverrides = {}): Config {
  const web = read.obj(tree, 'web');
  const grpc = read.obj(tree, 'grpc');
  const oauth2 = read.obj(tree, 'oauth2');
  const expiry = read.obj(tree, 'expiry');
  const refresh = read.obj(expiry, 'refreshTokens');
  const frontend = read.obj(tree, 'frontend');
  const storage = read.obj(tree, 'storage');
  const remoteIP = read.obj(web, 'clientRemoteIP');
  const pkce = read.obj(oauth2, 'pkce');

  const signingKeys = durationAt(expiry, 'signingKeys', 'expiry', 0, ctx);
  const defaultGrants = ctx.flags.clientCredentialGrantEnabledByDefault
    ? [...DEFAULT_GRANT_TYPES, 'client_credentials']
    : DEFAULT_GRANT_TYPES;

  return {
    issuer: read.str(tree, 'issuer'),
    storage: { type: read.str(storage, 'type'), config: pluginConfig(storage, ctx) },
    web: {
      http: overrides.webHTTPAddr || read.str(web, 'http'),
      https: overrides.webHTTPSAddr || read.str(web, 'https'),
      tlsCert: read.str(web, 'tlsCert'),
      tlsKey: read.str(web, 'tlsKey'),
      tlsMinVersion: read.str(web, 'tlsMinVersion') || '1.2',
      tlsMaxVersion: read.str(web, 'tlsMaxVersion'),
      tlsCipherSuites: read.strs(web, 'tlsCipherSuites') ?? [],
      timeouts: buildTimeouts(read.obj(web, 'timeouts'), ctx),
      headers: buildHeaders(read.obj(web, 'headers')),
      allowedOrigins: read.strs(web, 'allowedOrigins') ?? [],
      allowedHeaders: listOr(read.strs(web, 'allowedHeaders'), ['Authorization']),
      clientRemoteIP: { header: read.str(remoteIP, 'header'), trustedProxies: read.strs(remoteIP, 'trustedProxies') ?? [] },
    },
    telemetry: {
      http: overrides.telemetryAddr || read.str(read.obj(tree, 'telemetry'), 'http'),
      enableProfiling: read.bool(read.obj(tree, 'telemetry'), 'enableProfiling'),
    },
    grpc: {
      addr: overrides.grpcAddr || read.str(grpc, 'addr'),
      tlsCert: read.str(grpc, 'tlsCert'),
      tlsKey: read.str(grpc, 'tlsKey'),
      tlsClientCA: read.str(grpc, 'tlsClientCA'),
      tlsMinVersion: read.str(grpc, 'tlsMinVersion') || '1.2',
      tlsMaxVersion: read.str(grpc, 'tlsMaxVersion'),
      reflection: read.bool(grpc, 'reflection'),
      tlsCipherSuites: read.strs(grpc, 'tlsCipherSuites') ?? [],
    },
    expiry: {
      idTokens: durationAt(expiry, 'idTokens', 'expiry', 24 * HOUR, ctx) || 24 * HOUR,
      authRequests: durationAt(expiry, 'authRequests', 'expiry', 24 * HOUR, ctx) || 24 * HOUR,
      deviceRequests: durationAt(expiry, 'deviceRequests', 'expiry', 5 * 60_000, ctx) || 5 * 60_000,
      signingKeys,
      refreshTokens: {
        disableRotation: read.bool(refresh, 'disableRotation'),
        reuseInterval: durationAt(refresh, 'reuseInterval', 'expiry.refreshTokens', 0, ctx),
        absoluteLifetime: durationAt(refresh, 'absoluteLifetime', 'expiry.refreshTokens', 0, ctx),
        validIfNotUsedFor: durationAt(refresh, 'validIfNotUsedFor', 'expiry.refreshTokens', 0, ctx),
      },
    },
    logger: buildLogger(read.obj(tree, 'logger'), ctx),
    oauth2: {
      grantTypes: listOr(read.strs(oauth2, 'grantTypes'), defaultGrants),
      responseTypes: listOr(read.strs(oauth2, 'responseTypes'), ['code']),
      skipApprovalScreen: read.bool(oauth2, 'skipApprovalScreen'),
      alwaysShowLoginScreen: read.bool(oauth2, 'alwaysShowLoginScreen'),
      passwordConnector: read.str(oauth2, 'passwordConnector'),
      pkce: {
        enforce: read.bool(pkce, 'enforce'),
        codeChallengeMethodsSupported: listOr(read.strs(pkce, 'codeChallengeMethodsSupported'), ['S256', 'plain']),
        requireS256ForPublicClients: read.bool(pkce, 'requireS256ForPublicClients', true),
      },
      ...buildAccessTokenFormats(tree, ctx),
    },
    frontend: {
      dir: read.str(frontend, 'dir') || (ctx.env['DEX_FRONTEND_DIR'] ?? ''),
      logoURL: read.str(frontend, 'logoURL') || 'theme/logo.png',
      issuer: read.str(frontend, 'issuer') || 'dex',
      theme: normalizeTheme(read.str(frontend, 'theme')),
      extra: (read.obj(frontend, 'extra') as Record<string, string> | undefined) ?? {},
    },
    signer: buildSigner(tree, ctx, signingKeys),
    connectors: buildConnectors(tree, ctx),
    staticClients: buildStaticClients(tree, ctx),
    enablePasswordDB: read.bool(tree, 'enablePasswordDB'),
    staticPasswords: buildStaticPasswords(tree, ctx),
    sessions: buildSessions(tree, ctx),
    mfa: buildMFA(tree, ctx),
  };
}

/** Legacy theme names fall back to the default theme, as dex's template loader does. */
function normalizeTheme(theme: string): string {
  return theme === '' || theme === 'coreos' || theme === 'tectonic' ? 'light' : theme;
}

function buildHeaders(h: Decoded | undefined): Partial<Record<SecurityHeader, string>> {
  const out: Partial<Record<SecurityHeader, string>> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== '') out[k as SecurityHeader] = v as string;
  return out;
}

/** `web.timeouts`: Go durations; `0` turns one off. */
function buildTimeouts(t: Decoded | undefined, ctx: BuildContext): ListenerTimeouts {
  const at = (key: keyof ListenerTimeouts) => durationAt(t, key, 'web.timeouts', LISTENER_TIMEOUTS[key], ctx);
  return { request: at('request'), headers: at('headers'), keepAlive: at('keepAlive'), idle: at('idle') };
}

/** `logger.level` as Go's `slog.Level` reads it (dex v2.45.1 `cmd/dex/config.go`); `logger.format` text or json. */
function buildLogger(l: Decoded | undefined, ctx: BuildContext): LoggerConfig {
  const levelText = read.str(l, 'level', 'info') || 'info';
  const level = parseLogLevel(levelText);
  const format = read.str(l, 'format', 'text').toLowerCase() || 'text';
  if (!level) {
    ctx.issues.push({ path: 'logger.level', message: `unknown level ${JSON.stringify(levelText)} (want DEBUG, INFO, WARN or ERROR, optionally +/-N)` });
  }
  if (format !== 'text' && format !== 'json') {
    ctx.issues.push({ path: 'logger.format', message: `unknown format ${JSON.stringify(format)} (want text or json)` });
  }
  return { level: level ?? 'info', format: format === 'json' ? 'json' : 'text', excludeFields: read.strs(l, 'excludeFields') ?? [] };
}

function buildConnectors(tree: Decoded, ctx: BuildContext): ConnectorConfig[] {
  return read.objs(tree, 'connectors').map(([i, c]) => {
    for (const key of ['type', 'id', 'name']) {
      if (read.str(c, key) === '') ctx.issues.push({ path: `connectors[${i}].${key}`, message: 'required' });
    }
    return {
      type: read.str(c, 'type'),
      id: read.str(c, 'id'),
      name: read.str(c, 'name'),
      config: pluginConfig(c, ctx),
      grantTypes: read.strs(c, 'grantTypes') ?? [],
    };
  });
}
