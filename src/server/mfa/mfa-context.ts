/**
 * What the MFA routes are built from: the parts of the login flow's context they use (the flow's FlowContext
 * satisfies this shape; MFA does not import the authflow feature), plus MFA's own services built once at startup.
 */

import type { Config } from '../../config/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { ConnectorResolver } from '../deps.js';
import type { FlowCookies } from '../http/flow-cookies.js';
import type { AttemptGuard } from '../throttle/attempt-guard.js';
import { type Authenticator, buildAuthenticators } from './authenticators.js';
import { BackupCodeHasher } from './backup-codes.js';
import type { PageFrame } from './pages.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

export interface FlowDeps {
  config: Config;
  storage: Storage;
  logger: Logger;
  now: () => Date;
  issuer: string;
  issuerPath: string;
  cookies: FlowCookies;
  guard: AttemptGuard;
  connectors: ConnectorResolver;
  renderer: { error(data: { status: number; message: string }): string };
}

export interface MfaContext extends FlowDeps {
  authenticators: ReadonlyMap<string, Authenticator>;
  box: SecretBox;
  hasher: BackupCodeHasher;
  frame: PageFrame;
}

/** Builds MFA's services; throws `ConfigError` for a bad authenticator config. Warns when secrets stay in clear. */
export function createMfaContext(deps: FlowDeps): MfaContext {
  const mfa = deps.config.mfa;
  const authenticators = buildAuthenticators(mfa, deps.issuer, deps.config.frontend.issuer);
  const key = mfa?.encryptionKey ?? null;
  if (authenticators.size > 0 && key === null) {
    deps.logger.warn(
      'mfa: no mfa.encryptionKey (or FERRY_MFA_ENCRYPTION_KEY) is set: TOTP secrets are stored in clear, as dex stores them (docs/mfa.md)',
    );
  }
  return {
    ...deps,
    authenticators,
    box: createSecretBox(key),
    hasher: new BackupCodeHasher(key),
    frame: { issuerPath: deps.issuerPath, brand: deps.config.frontend.issuer || 'dex' },
  };
}
