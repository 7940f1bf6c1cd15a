/** What the MFA handlers use: the server context plus MFA's own services, built once at startup. */

import type { ServerContext } from '../context.js';
import { type Authenticator, buildAuthenticators } from './authenticators.js';
import { BackupCodeHasher } from './backup-codes.js';
import type { PageFrame } from './pages.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

export interface MfaContext extends ServerContext {
  authenticators: ReadonlyMap<string, Authenticator>;
  box: SecretBox;
  hasher: BackupCodeHasher;
  frame: PageFrame;
}

/** Builds MFA's services; throws `ConfigError` for a bad authenticator config. Warns when secrets stay in clear. */
export function createMfaContext(deps: ServerContext): MfaContext {
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
