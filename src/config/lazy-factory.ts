/**
 * Registry entries that parse their config eagerly (a small zod schema, so `ferry serve` reports every config
 * problem at once) but import the implementation — and with it the driver or protocol library — only when a
 * backend or connector of that type is opened. A config that uses only SQLite and LDAP never loads `pg`,
 * `openid-client` or the XML-signature stack.
 */

import type { Connector, ConnectorDeps, ConnectorFactory } from '../connectors/types.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage/storage.js';

export function lazyConnector<C>(
  type: string,
  parseConfig: (raw: unknown, path: string, strict?: boolean) => C,
  load: () => Promise<ConnectorFactory<C>>,
): ConnectorFactory<C> {
  return {
    type,
    parseConfig,
    async open(id: string, config: C, deps: ConnectorDeps): Promise<Connector> {
      return (await load()).open(id, config, deps);
    },
  };
}

export function lazyStorage<C>(
  type: string,
  parseConfig: (raw: unknown, path: string, strict?: boolean) => C,
  load: () => Promise<StorageFactory<C>>,
): StorageFactory<C> {
  return {
    type,
    parseConfig,
    async open(config: C, deps: StorageDeps): Promise<Storage> {
      return (await load()).open(config, deps);
    },
  };
}
