/**
 * Opens the connectors named in the config (plus the password DB when `enablePasswordDB`) and serves them by id
 * (dex `server/connector.go`). With `DEX_CONTINUE_ON_CONNECTOR_FAILURE` (default true) a connector that fails to
 * open is logged and skipped; startup fails only when none opens.
 */

import type { Config, ConnectorConfig } from '../../config/types.js';
import type { ConnectorDeps, ConnectorFactory } from '../../connectors/types.js';
import { ConfigError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { ConnectorResolver, ResolvedConnector } from '../deps.js';
import { LOCAL_CONNECTOR, PasswordDBConnector } from './password-db.js';

export interface OpenConnectorsOptions {
  config: Config;
  storage: Storage;
  deps: ConnectorDeps;
  lookupFactory: (type: string) => ConnectorFactory | undefined;
  continueOnFailure: boolean;
}

async function openOne(c: ConnectorConfig, i: number, opts: OpenConnectorsOptions): Promise<ResolvedConnector> {
  const factory = opts.lookupFactory(c.type);
  if (!factory) throw new ConfigError(`unknown connector type ${JSON.stringify(c.type)}`, `connectors[${i}].type`);
  const parsed = factory.parseConfig(c.config, `connectors[${i}].config`);
  const connector = await factory.open(c.id, parsed, { ...opts.deps, logger: opts.deps.logger.child({ connector_id: c.id }) });
  return { id: c.id, type: c.type, name: c.name, grantTypes: c.grantTypes, connector };
}

/** Opens every configured connector and returns a resolver over them. */
export async function openConnectors(opts: OpenConnectorsOptions): Promise<ConnectorResolver> {
  const { config, deps } = opts;
  const opened: ResolvedConnector[] = [];
  const failures: unknown[] = [];
  for (const [i, c] of config.connectors.entries()) {
    try {
      opened.push(await openOne(c, i, opts));
    } catch (err) {
      if (!opts.continueOnFailure) throw err;
      failures.push(err);
      deps.logger.error({ connector_id: c.id, err: (err as Error).message }, 'failed to open connector; skipping it');
    }
  }
  if (config.enablePasswordDB) {
    opened.push({ ...LOCAL_CONNECTOR, grantTypes: [], connector: new PasswordDBConnector(opts.storage) });
  }
  if (opened.length === 0) {
    if (failures[0]) throw failures[0];
    throw new ConfigError('no connectors configured: add one under `connectors` or set `enablePasswordDB: true`', 'connectors');
  }
  const byId = new Map(opened.map((c) => [c.id, c]));
  return {
    async get(id) {
      const c = byId.get(id);
      if (!c) throw new NotFoundError(`connector ${JSON.stringify(id)} not found`);
      return c;
    },
    async list() {
      return opened;
    },
  };
}
