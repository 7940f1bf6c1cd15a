/**
 * Opens the connectors named in the config (plus the password DB when `enablePasswordDB`) and serves them by id
 * (dex master (ab64ed77) `server/connector.go`). With `DEX_CONTINUE_ON_CONNECTOR_FAILURE` (default true) a connector that fails to
 * open is logged and skipped; startup fails only when none opens.
 *
 * Connectors stored through the gRPC API are served too (dex CON-02, `server/connectors.Cache`): they are read
 * from storage on each lookup and opened on first use; when their `resourceVersion` changes (UpdateConnector bumps
 * it, on any replica) the next lookup re-opens them. Config connectors are static and never re-read; in storage
 * they appear through `withStaticConnectors` (read-only), built from `staticConnectorRecords`.
 */

import type { Config, ConnectorConfig } from '../../config/types.js';
import type { ConnectorDeps, ConnectorFactory } from '../../connectors/types.js';
import { ConfigError, NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { Connector as StoredConnector } from '../../storage/types.js';
import type { ConnectorResolver, ResolvedConnector } from '../context.js';
import { storedClaimOnce } from './claim-once.js';
import { dummyCostOf, LOCAL_CONNECTOR, PasswordDBConnector } from './password-db.js';

export interface OpenConnectorsOptions {
  config: Config;
  storage: Storage;
  deps: ConnectorDeps;
  lookupFactory: (type: string) => ConnectorFactory | undefined;
  continueOnFailure: boolean;
}

/** A resolver that also serves connectors stored through the API. */
export interface DynamicConnectorResolver extends ConnectorResolver {
  /** Drops the opened instance of a stored connector (after the API created, changed or deleted it). */
  invalidate(id: string): void;
}

/** The config's connectors (and `local`) as storage records, for `withStaticConnectors`. */
export function staticConnectorRecords(config: Config): StoredConnector[] {
  const records = config.connectors.map((c) => ({
    id: c.id,
    type: c.type,
    name: c.name,
    resourceVersion: '',
    config: JSON.stringify(c.config),
    grantTypes: c.grantTypes,
  }));
  if (config.enablePasswordDB) records.push({ ...LOCAL_CONNECTOR, resourceVersion: '', config: '', grantTypes: [] });
  return records;
}

async function openOne(c: ConnectorConfig, path: string, opts: OpenConnectorsOptions): Promise<ResolvedConnector> {
  if (c.type === LOCAL_CONNECTOR.type) {
    return { id: c.id, type: c.type, name: c.name, grantTypes: c.grantTypes, connector: new PasswordDBConnector(opts.storage, dummyCostOf(opts.config.staticPasswords.map((p) => p.hash))) };
  }
  const factory = opts.lookupFactory(c.type);
  if (!factory) throw new ConfigError(`unknown connector type ${JSON.stringify(c.type)}`, `${path}.type`);
  const parsed = factory.parseConfig(c.config, `${path}.config`);
  const connector = await factory.open(c.id, parsed, {
    ...opts.deps,
    logger: opts.deps.logger.child({ connector_id: c.id }),
    claimOnce: storedClaimOnce(opts.storage, c.id),
  });
  return { id: c.id, type: c.type, name: c.name, grantTypes: c.grantTypes, connector };
}

/** Opens every configured connector and returns a resolver over them and the stored ones. */
export async function openConnectors(opts: OpenConnectorsOptions): Promise<DynamicConnectorResolver> {
  const { config, deps, storage } = opts;
  const opened: ResolvedConnector[] = [];
  const failures: unknown[] = [];
  for (const [i, c] of config.connectors.entries()) {
    try {
      opened.push(await openOne(c, `connectors[${i}]`, opts));
    } catch (err) {
      if (!opts.continueOnFailure) throw err;
      failures.push(err);
      deps.logger.error({ connector_id: c.id, err: (err as Error).message }, 'failed to open connector; skipping it');
    }
  }
  if (config.enablePasswordDB) {
    opened.push({ ...LOCAL_CONNECTOR, grantTypes: [], connector: new PasswordDBConnector(storage, dummyCostOf(config.staticPasswords.map((p) => p.hash))) });
  }
  const staticIds = new Set(staticConnectorRecords(config).map((c) => c.id));
  /** Connectors stored through the API, read on each call (a login request lists them once, flow-connector.ts). */
  const listStored = async (): Promise<StoredConnector[]> => (await storage.listConnectors()).filter((c) => !staticIds.has(c.id));
  if (opened.length === 0 && (await listStored()).length === 0) {
    if (failures[0]) throw failures[0];
    throw new ConfigError('no connectors configured: add one under `connectors` or set `enablePasswordDB: true`', 'connectors');
  }

  const byId = new Map(opened.map((c) => [c.id, c]));
  /** Stored connectors opened so far, by id, with the resource version they were opened at. */
  const cache = new Map<string, { version: string; resolved: Promise<ResolvedConnector> }>();
  const openStored = (c: StoredConnector): Promise<ResolvedConnector> => {
    const hit = cache.get(c.id);
    if (hit && hit.version === c.resourceVersion) return hit.resolved;
    const resolved = (async () => {
      let raw: unknown;
      try {
        raw = c.config === '' ? {} : JSON.parse(c.config);
      } catch {
        throw new ConfigError('stored config is not JSON', `connector ${c.id}`);
      }
      const cfg = { id: c.id, type: c.type, name: c.name, grantTypes: c.grantTypes, config: raw as Record<string, unknown> };
      return openOne(cfg, `connector ${c.id}`, opts);
    })();
    cache.set(c.id, { version: c.resourceVersion, resolved });
    resolved.catch(() => {
      if (cache.get(c.id)?.resolved === resolved) cache.delete(c.id);
    });
    return resolved;
  };

  return {
    async get(id) {
      const c = byId.get(id);
      if (c) return c;
      if (staticIds.has(id)) throw new NotFoundError(`connector ${JSON.stringify(id)} failed to open at startup`);
      const stored = await storage.getConnector(id).catch((err: unknown) => {
        if (err instanceof NotFoundError) cache.delete(id);
        throw err;
      });
      return openStored(stored);
    },
    async list() {
      const dynamic: ResolvedConnector[] = [];
      for (const s of await listStored()) {
        try {
          dynamic.push(await openStored(s));
        } catch (err) {
          deps.logger.error({ connector_id: s.id, err: (err as Error).message }, 'failed to open stored connector; skipping it');
        }
      }
      return [...opened, ...dynamic];
    },
    invalidate(id) {
      cache.delete(id);
    },
  };
}
