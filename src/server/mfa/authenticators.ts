/**
 * The configured authenticators (`mfa.authenticators`, dex HEAD cmd/dex/config.go TOTPConfig and WebAuthnConfig),
 * checked once at startup. dex HEAD logs a bad authenticator config and skips it, and parses `userVerification` and
 * `authenticatorAttachment` without applying them; Ferry refuses a bad value with an error naming the key and
 * applies every setting.
 */

import type { MFAConfig } from '../../config/types.js';
import { ConfigError, type ConfigIssue } from '../../lib/errors.js';
import { parseDuration } from '../../lib/duration.js';

interface Common {
  id: string;
  /** Connector types this authenticator applies to; empty = all. */
  connectorTypes: string[];
}

export interface TOTPAuthenticator extends Common {
  type: 'TOTP';
  /** Issuer shown in the authenticator app (`config.issuer`; default the frontend's display name). */
  issuer: string;
}

export interface WebAuthnAuthenticator extends Common {
  type: 'WebAuthn';
  rpID: string;
  rpOrigins: string[];
  rpDisplayName: string;
  attestation: 'none' | 'indirect' | 'direct';
  userVerification: 'required' | 'preferred' | 'discouraged';
  /** undefined = any authenticator. */
  attachment: 'platform' | 'cross-platform' | undefined;
  timeoutMs: number;
}

export type Authenticator = TOTPAuthenticator | WebAuthnAuthenticator;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T, path: string, issues: ConfigIssue[]): T {
  const s = str(v);
  if (s === '') return fallback;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  issues.push({ path, message: `must be one of ${allowed.join(', ')}` });
  return fallback;
}

function webAuthn(c: Record<string, unknown>, base: Common, issuer: URL, path: string, issues: ConfigIssue[]): WebAuthnAuthenticator {
  const rpID = str(c['rpID']) || issuer.hostname;
  const origins = Array.isArray(c['rpOrigins']) ? c['rpOrigins'].map(str) : [];
  origins.forEach((o, i) => {
    if (!URL.canParse(o) || new URL(o).origin !== o) issues.push({ path: `${path}.rpOrigins[${i}]`, message: 'must be an origin (scheme://host[:port])' });
  });
  let timeoutMs = 60_000;
  try {
    if (str(c['timeout'])) timeoutMs = parseDuration(str(c['timeout']));
  } catch (err) {
    issues.push({ path: `${path}.timeout`, message: (err as Error).message });
  }
  return {
    ...base,
    type: 'WebAuthn',
    rpID,
    rpOrigins: origins.length > 0 ? origins : [issuer.origin],
    rpDisplayName: str(c['rpDisplayName']) || rpID,
    attestation: oneOf(c['attestationPreference'], ['none', 'indirect', 'direct'], 'indirect', `${path}.attestationPreference`, issues),
    userVerification: oneOf(c['userVerification'], ['required', 'preferred', 'discouraged'], 'preferred', `${path}.userVerification`, issues),
    attachment: str(c['authenticatorAttachment'])
      ? oneOf<'platform' | 'cross-platform'>(c['authenticatorAttachment'], ['platform', 'cross-platform'], 'platform', `${path}.authenticatorAttachment`, issues)
      : undefined,
    timeoutMs,
  };
}

/** Authenticators by id. Throws `ConfigError` listing every bad setting. */
export function buildAuthenticators(mfa: MFAConfig | undefined, issuerURL: string, displayName: string): Map<string, Authenticator> {
  const issues: ConfigIssue[] = [];
  const issuer = new URL(issuerURL);
  const out = new Map<string, Authenticator>();
  (mfa?.authenticators ?? []).forEach((a, i) => {
    const path = `mfa.authenticators[${i}].config`;
    const base = { id: a.id, connectorTypes: a.connectorTypes };
    if (a.type === 'TOTP') out.set(a.id, { ...base, type: 'TOTP', issuer: str(a.config['issuer']) || displayName || 'dex' });
    else out.set(a.id, webAuthn(a.config, base, issuer, path, issues));
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

/** Whether `a` applies to a login through a connector of `connectorType` (dex HEAD EnabledForConnectorType). */
export const appliesTo = (a: Authenticator, connectorType: string): boolean =>
  a.connectorTypes.length === 0 || a.connectorTypes.includes(connectorType);

/**
 * The factors a login must pass (dex HEAD chainForClient): the client's `mfaChain` (an explicit `[]` = none), else
 * `mfa.defaultMFAChain`, keeping the authenticators that apply to the login's connector type.
 */
export function resolveChain(
  clientChain: string[] | null,
  defaultChain: readonly string[],
  authenticators: ReadonlyMap<string, Authenticator>,
  connectorType: string,
): Authenticator[] {
  const wanted = clientChain ?? defaultChain;
  return wanted.flatMap((id) => {
    const a = authenticators.get(id);
    return a && appliesTo(a, connectorType) ? [a] : [];
  });
}
