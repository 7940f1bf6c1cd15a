/**
 * What the HTTP server is built from. `src/cli/serve.ts` assembles these from the config; tests assemble them
 * directly (memory storage, mock connectors, a fixed clock).
 */

import type { Config } from '../config/types.js';
import type { Connector } from '../connectors/types.js';
import type { Signer } from '../keys/signer.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Storage } from '../storage/storage.js';
import type { AttemptGuard } from './throttle/attempt-guard.js';

/** A connector opened and ready, with the attributes from its config. */
export interface ResolvedConnector {
  id: string;
  type: string;
  name: string;
  /** Grant types this connector may be used for; empty = all. */
  grantTypes: string[];
  connector: Connector;
}

/** Looks connectors up by id (static ones from config plus, later, ones stored through the API). */
export interface ConnectorResolver {
  /** Throws `NotFoundError` when no connector has that id. */
  get(id: string): Promise<ResolvedConnector>;
  /** All connectors, in config order. */
  list(): Promise<ResolvedConnector[]>;
}

export interface ServerDeps {
  config: Config;
  storage: Storage;
  signer: Signer;
  connectors: ConnectorResolver;
  logger: Logger;
  now: () => Date;
  /** Prometheus metrics; absent in tests that don't look at them. */
  metrics?: Metrics;
  /** The brute-force throttle of password, user-code and device-callback attempts (stored, shared by replicas). */
  guard: AttemptGuard;
}
