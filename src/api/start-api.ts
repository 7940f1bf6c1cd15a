/**
 * Starts the admin API for a running Ferry when `grpc.addr` is set: builds the service from the server's
 * dependencies (storage with static overlays, discovery builder, connector registry) and listens.
 */

import { ferryVersion } from '../cli/version.js';
import type { FeatureFlags } from '../config/feature-flags.js';
import { lookupConnectorFactory } from '../config/registry.js';
import { buildDiscovery } from '../server/discovery/discovery.js';
import { createSessionEnder } from '../server/backchannel/index.js';
import type { ServerParts } from '../server/context.js';
import type { ApiDeps } from './deps.js';
import { type ApiListener, listenApi } from './listen.js';
import { createDexService } from './service.js';

export interface StartApiOptions {
  deps: ServerParts;
  flags: FeatureFlags;
  /** Where to listen (parsed `grpc.addr`). */
  listen: { host: string; port: number };
  /** The resolver's hook to drop an opened connector after the API changed it. */
  onConnectorChange?: (id: string) => void;
}

export async function startApi(opts: StartApiOptions): Promise<ApiListener> {
  const { deps, flags } = opts;
  const ender = createSessionEnder({ storage: deps.storage, logger: deps.logger, now: deps.now });
  const apiDeps: ApiDeps = {
    storage: deps.storage,
    logger: deps.logger,
    now: deps.now,
    flags,
    version: ferryVersion(),
    discovery: async () => buildDiscovery(deps.config, await deps.signer.algorithm()),
    lookupConnectorFactory,
    onConnectorChange: opts.onConnectorChange,
    accessTokensValidFor: deps.config.expiry.idTokens,
    // A session ended through the API tells its relying parties too (back-channel logout outbox).
    onSessionEnd: async (session) => {
      await ender.notify(session);
    },
  };
  const logger = deps.logger.child({ component: 'api' });
  return listenApi(deps.config.grpc, opts.listen, createDexService(apiDeps), logger, deps.config.web.timeouts?.idle);
}
