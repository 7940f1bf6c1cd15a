/**
 * The one place that imports concrete storage backends and connectors (the lint layers in eslint.config.js; like
 * dex's `storages` map in dex v2.45.1 `cmd/dex/config.go` and `server.ConnectorsConfig`). Add a backend or
 * connector here and nowhere else.
 * Type names are dex's, so existing configs keep working.
 *
 * Entries whose implementation pulls a heavy library (SQL query builder and drivers, the XML-signature stack) are
 * `lazy*`: their config is parsed eagerly, the implementation is imported when one is opened. The others import
 * their libraries inside `open()` already. `registry-weight.test.ts` keeps it that way.
 */

import { authproxy } from '../connectors/authproxy/index.js';
import { bitbucketCloud } from '../connectors/bitbucket-cloud/index.js';
import { gitea } from '../connectors/gitea/index.js';
import { github } from '../connectors/github/index.js';
import { gitlab } from '../connectors/gitlab/index.js';
import { google } from '../connectors/google/index.js';
import { ldap } from '../connectors/ldap/index.js';
import { linkedin } from '../connectors/linkedin/index.js';
import { microsoft } from '../connectors/microsoft/index.js';
import { openshift } from '../connectors/openshift/index.js';
import { keystone } from '../connectors/keystone/index.js';
import { atlassianCrowd } from '../connectors/atlassian-crowd/index.js';
import { mockCallback } from '../connectors/mock/callback.js';
import { mockPassword } from '../connectors/mock/password.js';
import { oauth } from '../connectors/oauth/index.js';
import { oidc } from '../connectors/oidc/index.js';
import { parseSamlConfig } from '../connectors/saml/config.js';
import type { ConnectorFactory } from '../connectors/types.js';
import type { ConfigIssue } from '../lib/errors.js';
import { etcdStorage } from '../storage/etcd/index.js';
import { kubernetesStorage } from '../storage/kubernetes/index.js';
import { memoryStorage } from '../storage/memory/index.js';
import { parseMysqlConfig } from '../storage/mysql/config.js';
import { parsePostgresConfig } from '../storage/postgres/config.js';
import { parseSqliteConfig } from '../storage/sqlite/config.js';
import type { StorageFactory } from '../storage/storage.js';
import { lazyConnector, lazyStorage } from './lazy-factory.js';
import { lookup, type Registry, validatePluginConfigs } from './plugin-configs.js';
import type { Config } from './types.js';

const saml = lazyConnector('saml', parseSamlConfig, async () => (await import('../connectors/saml/index.js')).saml);

/** `storage.type` → backend. */
export const storageFactories: Readonly<Record<string, StorageFactory>> = Object.freeze({
  memory: memoryStorage,
  sqlite3: lazyStorage('sqlite3', parseSqliteConfig, async () => (await import('../storage/sqlite/index.js')).sqliteStorage),
  postgres: lazyStorage('postgres', parsePostgresConfig, async () => (await import('../storage/postgres/index.js')).postgresStorage),
  mysql: lazyStorage('mysql', parseMysqlConfig, async () => (await import('../storage/mysql/index.js')).mysqlStorage),
  etcd: etcdStorage,
  kubernetes: kubernetesStorage,
} as Record<string, StorageFactory>);

/**
 * `connectors[].type` → connector. (`local`, the password DB, is built in and not configurable by type.)
 * `samlExperimental` is dex's old name for `saml`, kept as an alias.
 */
export const connectorFactories: Readonly<Record<string, ConnectorFactory>> = Object.freeze({
  mockCallback,
  mockPassword,
  ldap,
  authproxy,
  oidc,
  oauth,
  saml,
  samlExperimental: saml,
  github,
  gitlab,
  gitea,
  'bitbucket-cloud': bitbucketCloud,
  linkedin,
  google,
  microsoft,
  openshift,
  keystone,
  'atlassian-crowd': atlassianCrowd,
} as Record<string, ConnectorFactory>);

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
export function validateRegisteredConfigs(config: Config, registry: Registry = defaultRegistry, strict = false): ConfigIssue[] {
  return validatePluginConfigs(config, registry, strict);
}
