/**
 * Connector RPCs (dex master (ab64ed77) `server/apiserver/connectors.go`), all behind `DEX_API_CONNECTORS_CRUD`.
 * Create stores resource version "1"; Update bumps it so every replica's resolver re-opens the connector. Configs
 * must be JSON objects that the connector type's own `parseConfig` accepts (dex only checks that they are JSON).
 * Connectors from the config file (and the password DB's `local`) are listed but read-only.
 */

import type { ServiceImpl } from '@connectrpc/connect';
import { CONNECTOR_GRANT_TYPES } from '../config/validate.js';
import type { Connector } from '../storage/types.js';
import { bytesToText, textToBytes } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, recover, requireFlag } from './errors.js';
import type { Dex } from './gen/api_pb.js';
import { redactConnectorConfig } from './redact.js';

type ConnectorRpcs = Pick<ServiceImpl<typeof Dex>, 'createConnector' | 'updateConnector' | 'deleteConnector' | 'listConnectors'>;

function checkGrantTypes(types: readonly string[]): void {
  for (const t of types) {
    if (!(CONNECTOR_GRANT_TYPES as readonly string[]).includes(t)) throw invalidArgument(`unknown grant type ${JSON.stringify(t)}`);
  }
}

/** The config bytes as JSON text, or InvalidArgument. */
function configText(bytes: Uint8Array): string {
  const text = bytesToText(bytes);
  if (text !== null) {
    try {
      JSON.parse(text);
      return text;
    } catch {
      // fall through
    }
  }
  throw invalidArgument('invalid config supplied');
}

export function connectorRpcs(deps: ApiDeps): ConnectorRpcs {
  const { storage } = deps;
  const checkFlag = () => requireFlag(deps.flags.apiConnectorsCRUD, 'DEX_API_CONNECTORS_CRUD');
  /** Pure and synchronous, so it may run inside a storage updater; throws ConfigError or InvalidArgument. */
  const validateConfig = (type: string, text: string) => {
    if (type === 'local') return; // the password DB takes no config
    const factory = deps.lookupConnectorFactory(type);
    if (!factory) throw invalidArgument(`unknown connector type ${JSON.stringify(type)}`);
    factory.parseConfig(JSON.parse(text), 'config');
  };
  const changed = (id: string) => deps.onConnectorChange?.(id);

  return {
    async createConnector(req) {
      checkFlag();
      const w = req.connector;
      if (!w) throw invalidArgument('no connector supplied');
      if (w.id === '') throw invalidArgument('no id supplied');
      if (w.type === '') throw invalidArgument('no type supplied');
      if (w.name === '') throw invalidArgument('no name supplied');
      if (w.config.length === 0) throw invalidArgument('no config supplied');
      const config = configText(w.config);
      checkGrantTypes(w.grantTypes);
      validateConfig(w.type, config);
      const connector: Connector = { id: w.id, type: w.type, name: w.name, resourceVersion: '1', config, grantTypes: w.grantTypes };
      const create = async () => {
        await storage.createConnector(connector);
        changed(w.id);
        return {};
      };
      return recover(create, 'ERR_ALREADY_EXISTS', { alreadyExists: true });
    },

    async updateConnector(req) {
      checkFlag();
      if (req.id === '') throw invalidArgument('no id supplied');
      const hasUpdate = req.newConfig.length > 0 || req.newName !== '' || req.newType !== '' || req.newGrantTypes !== undefined;
      if (!hasUpdate) throw invalidArgument('nothing to update');
      const newConfig = req.newConfig.length > 0 ? configText(req.newConfig) : null;
      if (req.newGrantTypes) checkGrantTypes(req.newGrantTypes.grantTypes);
      const update = async () => {
        await storage.updateConnector(req.id, (old) => {
          const next: Connector = {
            ...old,
            ...(req.newType !== '' && { type: req.newType }),
            ...(req.newName !== '' && { name: req.newName }),
            ...(newConfig !== null && { config: newConfig }),
            ...(req.newGrantTypes && { grantTypes: req.newGrantTypes.grantTypes }),
          };
          if (next.type !== old.type || next.config !== old.config) validateConfig(next.type, next.config);
          const rev = old.resourceVersion || '0';
          return /^\d+$/.test(rev) ? { ...next, resourceVersion: String(Number(rev) + 1) } : next;
        });
        changed(req.id);
        return {};
      };
      return recover(update, 'ERR_NOT_FOUND', { notFound: true });
    },

    async deleteConnector(req) {
      checkFlag();
      if (req.id === '') throw invalidArgument('no id supplied');
      const remove = async () => {
        await storage.deleteConnector(req.id);
        changed(req.id);
        return {};
      };
      return recover(remove, 'ERR_NOT_FOUND', { notFound: true });
    },

    async listConnectors() {
      checkFlag();
      const connectors = await storage.listConnectors();
      return {
        connectors: connectors.map((c) => ({
          id: c.id,
          type: c.type,
          name: c.name,
          config: textToBytes(redactConnectorConfig(c.config)),
          grantTypes: c.grantTypes,
        })),
      };
    },
  };
}
