/**
 * `sessions` and `mfa` (dex master after v2.45.1: `cmd/dex/config.go` `Sessions`, behind `DEX_SESSIONS_ENABLED`). Sessions exist only with `DEX_SESSIONS_ENABLED=true`: then they
 * are on with defaults even when the block is absent; the block without the flag is an error. `mfa` needs sessions;
 * authenticator ids are unique, types are `TOTP` or `WebAuthn`, and every chain names known authenticators.
 */

import type { MFAAuthenticatorConfig, MFAConfig, SessionsConfig } from './types.js';
import { type BuildContext, durationAt } from './build-context.js';
import { type Decoded, read } from './decode.js';

const HOUR = 3_600_000;

export function buildSessions(tree: Decoded, ctx: BuildContext): SessionsConfig | null {
  const s = read.obj(tree, 'sessions');
  if (!ctx.flags.sessionsEnabled) {
    if (s !== undefined) ctx.issues.push({ path: 'sessions', message: 'requires DEX_SESSIONS_ENABLED=true' });
    return null;
  }
  const absoluteLifetime = durationAt(s, 'absoluteLifetime', 'sessions', 24 * HOUR, ctx);
  const validIfNotUsedFor = durationAt(s, 'validIfNotUsedFor', 'sessions', HOUR, ctx);
  const key = read.str(s, 'cookieEncryptionKey');
  const sso = read.str(s, 'ssoSharedWithDefault', 'none') || 'none';
  const checks: Array<[boolean, string, string]> = [
    [absoluteLifetime <= 0, 'absoluteLifetime', 'must be positive'],
    [validIfNotUsedFor <= 0, 'validIfNotUsedFor', 'must be positive'],
    [validIfNotUsedFor > absoluteLifetime, 'validIfNotUsedFor', 'must not exceed absoluteLifetime'],
    [key !== '' && ![16, 24, 32].includes(Buffer.byteLength(key)), 'cookieEncryptionKey', 'must be 16, 24 or 32 bytes'],
    [sso !== 'none' && sso !== 'all', 'ssoSharedWithDefault', 'must be "none" or "all"'],
  ];
  for (const [bad, key, message] of checks) if (bad) ctx.issues.push({ path: `sessions.${key}`, message });
  return {
    cookieName: read.str(s, 'cookieName') || 'dex_session',
    absoluteLifetime,
    validIfNotUsedFor,
    rememberMeCheckedByDefault: read.bool(s, 'rememberMeCheckedByDefault', true),
    cookieEncryptionKey: key,
    ssoSharedWithDefault: sso === 'all' ? 'all' : 'none',
  };
}

export function buildMFA(tree: Decoded, ctx: BuildContext): MFAConfig {
  const m = read.obj(tree, 'mfa');
  const authenticators: MFAAuthenticatorConfig[] = [];
  const ids = new Set<string>();
  for (const [i, a] of read.objs(m, 'authenticators')) {
    const path = `mfa.authenticators[${i}]`;
    const id = read.str(a, 'id');
    const type = read.str(a, 'type');
    if (id === '') ctx.issues.push({ path: `${path}.id`, message: 'required' });
    else if (ids.has(id)) ctx.issues.push({ path: `${path}.id`, message: `duplicate authenticator id ${JSON.stringify(id)}` });
    ids.add(id);
    if (type !== 'TOTP' && type !== 'WebAuthn') {
      ctx.issues.push({ path: `${path}.type`, message: `unknown type ${JSON.stringify(type)} (want TOTP or WebAuthn)` });
    }
    authenticators.push({
      id,
      type: type === 'WebAuthn' ? 'WebAuthn' : 'TOTP',
      config: (a['config'] as Record<string, unknown> | undefined) ?? {},
      connectorTypes: read.strs(a, 'connectorTypes') ?? [],
    });
  }
  const defaultMFAChain = read.strs(m, 'defaultMFAChain') ?? [];
  if ((authenticators.length > 0 || defaultMFAChain.length > 0) && !ctx.flags.sessionsEnabled) {
    ctx.issues.push({ path: 'mfa', message: 'requires sessions (DEX_SESSIONS_ENABLED=true)' });
  }
  defaultMFAChain.forEach((id, i) => {
    if (!ids.has(id)) ctx.issues.push({ path: `mfa.defaultMFAChain[${i}]`, message: `unknown authenticator ${JSON.stringify(id)}` });
  });
  return { authenticators, defaultMFAChain };
}
