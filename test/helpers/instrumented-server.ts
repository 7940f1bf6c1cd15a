/**
 * An in-process Ferry on the memory store whose storage (and, optionally, connector resolver) a test wraps, to
 * count what one request or one login does to them (test/flows/login/store-ops.test.ts,
 * test/flows/authorize/connector-list-reads.test.ts). One static client `app` (secret `app-secret`) is created.
 */

import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import { lookupConnectorFactory } from '../../src/config/registry.js';
import { createLocalSigner } from '../../src/keys/local.js';
import { silentLogger } from '../../src/lib/logger.js';
import { openConnectors } from '../../src/server/connectors/resolve.js';
import type { ConnectorResolver } from '../../src/server/context.js';
import { createServer } from '../../src/server/server.js';
import { createAttemptGuard } from '../../src/server/throttle/attempt-guard.js';
import { openMemoryStorage } from '../../src/storage/memory/index.js';
import type { Storage } from '../../src/storage/storage.js';

export const APP_REDIRECT = 'https://app.example.com/callback';

export interface InstrumentedOptions {
  /** The config's text (memory storage, the issuer and the connectors are the test's). */
  yaml: string;
  /** Wraps the storage facade the server gets (the client is created through the wrapper). */
  storage: (inner: Storage) => Storage;
  /** Wraps the resolver of the opened connectors. */
  connectors?: (opened: ConnectorResolver) => ConnectorResolver;
}

/** The server, built and ready (not listening: call `listen` for a real socket, or use `inject`). */
export async function instrumentedServer(o: InstrumentedOptions): Promise<FastifyInstance> {
  const { config } = parseConfig(o.yaml, {});
  const storage = o.storage(openMemoryStorage());
  await storage.createClient({
    id: 'app', secret: 'app-secret', public: false, redirectURIs: [APP_REDIRECT], trustedPeers: [], name: 'App', logoURL: '',
    allowedConnectors: [], postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '',
    clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null,
  });
  const logger = silentLogger();
  const now = () => new Date();
  const signer = createLocalSigner({ storage, algorithm: 'ES256', rotationPeriod: 3_600_000, idTokensValidFor: 3_600_000, logger, now });
  await signer.rotate();
  const opened = await openConnectors({ config, storage, deps: { logger, now, issuer: config.issuer }, lookupFactory: lookupConnectorFactory, continueOnFailure: false });
  const connectors = o.connectors ? o.connectors(opened) : opened;
  const guard = createAttemptGuard({ storage, now, logger, clientRemoteIP: config.web.clientRemoteIP });
  const app = await createServer({ config, storage, signer, connectors, logger, now, guard });
  await app.ready();
  return app;
}
