/**
 * The one place that imports concrete storage backends and connectors (STYLE.md 2.1, like dex's `storages` map in
 * `cmd/dex/config.go` and `server.ConnectorsConfig`). Add a backend or connector here and nowhere else.
 * Type names are dex's, so existing configs keep working.
 */

import { mockCallback } from '../connectors/mock/callback.js';
import { mockPassword } from '../connectors/mock/password.js';
import type { ConnectorFactory } from '../connectors/types.js';
import type { ConfigIssue } from '../lib/errors.js';
import { memoryStorage } from '../storage/memory/index.js';
import { sqliteStorage } from '../storage/sqlite/index.js';
import type { StorageFactory } from '../storage/storage.js';
import { lookup, type Registry, validatePluginConfigs } from './plugin-configs.js';
import type { Config } from './types.js';

/** `storage.type` → backend. */
export const storageFactories: Readonly<Record<string, StorageFactory>> = Object.freeze({
  memory: memoryStorage,
  sqlite3: sqliteStorage,
});

import { authproxy } from '../connectors/authproxy/index.js';
import { ldap } from '../connectors/ldap/index.js';
import { bitbucketCloud } from '../connectors/bitbucket-cloud/index.js';
import { gitea } from '../connectors/gitea/index.js';
import { github } from '../connectors/github/index.js';
import { gitlab } from '../connectors/gitlab/index.js';
import { linkedin } from '../connectors/linkedin/index.js';
/** `connectors[].type` → connector. (`local`, the password DB, is built in and not configurable by type.) */
export const connectorFactories: Readonly<Record<string, ConnectorFactory>> = Object.freeze({
  authproxy,
  ldap,
  mockCallback,
  mockPassword,
  'bitbucket-cloud': bitbucketCloud,
  gitea,
  github,
  gitlab,
  linkedin,
  saml,
  samlExperimental: saml,
});
import { saml } from '../connectors/saml/index.js';

/** The registry `loadConfig` validates against by default. */
export const defaultRegistry: Registry = { storage: storageFactories, connectors: connectorFactories };

/** The backend for a `storage.type`, or `undefined` when Ferry has none of that name. */
export function lookupStorageFactory(type: string): StorageFactory | undefined {
  return lookup(storageFactories, type);
}

/** The factory for a `connectors[].type`, or `undefined` when Ferry has none of that name. */
export function lookupConnectorFactory(type: string): ConnectorFactory | undefined {
  return lookup(connectorFactories, type);
}

/** Checks the storage config and every connector config with their factories; see `plugin-configs.ts`. */
export function validateRegisteredConfigs(config: Config, registry: Registry = defaultRegistry): ConfigIssue[] {
  return validatePluginConfigs(config, registry);
}
