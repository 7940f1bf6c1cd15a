/**
 * Checks `storage.config` and each `connectors[i].config` with its factory's `parseConfig`, so a problem is
 * reported as e.g. `connectors[1].config.username: required`, next to every other config problem. The factory
 * maps are passed in (`registry.ts` supplies the real ones), which keeps this testable with stubs. `strict` is dex's
 * `DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS`: unknown keys in those blocks are errors (ignored otherwise, as in dex).
 */

import type { ConnectorFactory } from '../connectors/types.js';
import { ConfigError, type ConfigIssue } from '../lib/errors.js';
import type { StorageFactory } from '../storage/storage.js';
import type { Config } from './types.js';

/** Type name → factory, for storage backends and connectors. */
export interface Registry {
  storage: Readonly<Record<string, StorageFactory>>;
  connectors: Readonly<Record<string, ConnectorFactory>>;
}

/** `map[type]`, ignoring inherited keys such as `constructor`. */
export function lookup<F>(map: Readonly<Record<string, F>>, type: string): F | undefined {
  return Object.hasOwn(map, type) ? map[type] : undefined;
}

/** Runs `parse` and turns what it throws into issues (a `ConfigError` keeps its paths). */
function issuesOf(parse: () => unknown, path: string): ConfigIssue[] {
  try {
    parse();
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    return [{ path, message: err instanceof Error ? err.message : String(err) }];
  }
}

/** Every problem in the storage and connector configs (unknown types included); empty = all valid. */
export function validatePluginConfigs(config: Config, registry: Registry, strict = false): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { type: storageType, config: storageConfig } = config.storage;
  if (storageType !== '') {
    const factory = lookup(registry.storage, storageType);
    if (!factory) {
      issues.push({ path: 'storage.type', message: `unknown storage type ${JSON.stringify(storageType)}` });
    } else {
      issues.push(...issuesOf(() => factory.parseConfig(storageConfig, 'storage.config', strict), 'storage.config'));
    }
  }
  config.connectors.forEach((c, i) => {
    if (c.type === '') return; // reported as required already
    const factory = lookup(registry.connectors, c.type);
    if (!factory) {
      issues.push({ path: `connectors[${i}].type`, message: `unknown connector type ${JSON.stringify(c.type)}` });
      return;
    }
    const path = `connectors[${i}].config`;
    issues.push(...issuesOf(() => factory.parseConfig(c.config, path, strict), path));
  });
  return issues;
}
