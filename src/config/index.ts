/**
 * Configuration: dex's `config.yaml`, read the way dex reads it.
 *
 *   loadConfig(path) → parseYaml → decode (schema.ts: case-insensitive keys, types, unknown keys)
 *     → buildConfig (defaults, CLI overrides, idEnv/secretEnv/hashFromEnv, $VAR in plugin configs)
 *     → validateConfig (cross-field table) → validatePluginConfigs (factories via registry.ts)
 *     → { config, warnings } or one ConfigError listing every issue with its key path.
 *
 * `registry.ts` is the only module in Ferry that imports concrete storage backends and connectors.
 */
export { loadConfig, parseConfig, type ConfigOverrides, type LoadedConfig } from './load.js';
export { featureFlags, parseGoBool, type FeatureFlags } from './feature-flags.js';
export { parseDuration, formatDuration } from '../lib/duration.js';
export { connectorFactories, lookupConnectorFactory, lookupStorageFactory, storageFactories } from './registry.js';
export type * from './types.js';
