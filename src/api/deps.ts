/** What the admin API is built from. `start-api.ts` assembles it from a running Ferry; tests may build it directly. */

import type { FeatureFlags } from '../config/feature-flags.js';
import type { ConnectorFactory } from '../connectors/types.js';
import type { Logger } from '../lib/logger.js';
import type { Storage } from '../storage/storage.js';
import type { AuthSession } from '../storage/types.js';

export interface ApiDeps {
  /** The storage with the static overlays (config clients, passwords and connectors are read-only). */
  storage: Storage;
  logger: Logger;
  now: () => Date;
  /** `DEX_API_CONNECTORS_CRUD` and `DEX_API_SESSIONS_IDENTITIES_CRUD`. */
  flags: Pick<FeatureFlags, 'apiConnectorsCRUD' | 'apiSessionsIdentitiesCRUD'>;
  /** `expiry.idTokens`: how long a grant revoked by RevokeRefresh is remembered (default 24 h, dex's default). */
  accessTokensValidFor?: number;
  /** Ferry's version, reported by GetVersion. */
  version: string;
  /** The discovery document, from the same builder as `/.well-known/openid-configuration`. */
  discovery: () => Promise<Record<string, unknown>>;
  /** Connector factories by type, to validate connector configs sent through the API. */
  lookupConnectorFactory: (type: string) => ConnectorFactory | undefined;
  /** Told after a connector was created, updated or deleted, so an opened instance is not reused. */
  onConnectorChange?: (id: string) => void;
  /** Told before a session is ended by the API (back-channel logout, when available). Errors are logged. */
  onSessionEnd?: (session: AuthSession) => Promise<void>;
}
