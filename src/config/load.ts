/**
 * Reads dex's `config.yaml` into `Config` (dex v2.45.1 `cmd/dex/config.go`). Flow:
 *   YAML (1.1 rules, like dex's yaml.v2: `yes`/`on` are booleans) → plain tree
 *   → `decode` against the schema (case-insensitive keys, type checks, unknown keys warned or, in strict mode,
 *     rejected) → `buildConfig` (defaults, CLI overrides, `*Env` fields, `$VAR` expansion of plugin configs)
 *   → `validateConfig` (cross-field rules) → `validatePluginConfigs` (each factory's `parseConfig`).
 * Every problem from every stage is gathered and thrown once as `ConfigError(issues)`.
 *
 * @example
 *   const { config, warnings } = loadConfig('examples/config-dev.yaml');
 */

import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';
import { ConfigError } from '../lib/errors.js';
import type { BuildContext } from './build-context.js';
import { buildConfig, type ConfigOverrides } from './build.js';
import { type Decoded, decode } from './decode.js';
import { featureFlags } from './feature-flags.js';
import type { Registry } from './plugin-configs.js';
import { validatePluginConfigs } from './plugin-configs.js';
import { defaultRegistry } from './registry.js';
import { CONFIG_SHAPE } from './schema.js';
import type { Config } from './types.js';
import { validateConfig } from './validate.js';

export type { ConfigOverrides } from './build.js';

export interface LoadedConfig {
  config: Config;
  /** Advisory messages (unknown keys, deprecated settings) for the caller to log. */
  warnings: string[];
}

/**
 * yaml.v2 (used by dex) keeps timestamp-like and `1:30`-like scalars as strings; the YAML 1.1 schema of the
 * `yaml` package would turn them into dates and numbers, so those tags are dropped.
 */
const dropDatesAndSexagesimal = (tags: Tags): Tags =>
  tags.filter((t) =>
    typeof t === 'string'
      ? !['timestamp', 'intTime', 'floatTime'].includes(t)
      : t.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in t && t.format === 'TIME'),
  );

/** Parses YAML text the way dex does and returns the whole tree (null for an empty document). */
function parseYaml(text: string): unknown {
  try {
    return parse(text, { version: '1.1', schema: 'yaml-1.1', customTags: dropDatesAndSexagesimal, merge: true });
  } catch (err) {
    throw new ConfigError([{ path: '', message: `invalid YAML: ${(err as Error).message}` }]);
  }
}

/** Parses, defaults and validates config text. Throws `ConfigError` listing every problem. */
export function parseConfig(
  yamlText: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
  registry: Registry = defaultRegistry,
): LoadedConfig {
  const flags = featureFlags(env);
  const ctx: BuildContext = { issues: [], warnings: [], strict: flags.configDisallowUnknownFields, env, flags };
  const root = parseYaml(yamlText) ?? {};
  const tree = (decode(root, CONFIG_SHAPE, '', ctx) as Decoded | undefined) ?? {};
  const typeErrors = new Set(ctx.issues.map((i) => i.path));
  const decodeIssues = ctx.issues.length;
  const config = buildConfig(tree, ctx, overrides);
  const checked = validateConfig(config);
  const plugins = validatePluginConfigs(config, registry, flags.configDisallowUnknownFields);
  const later = [...ctx.issues.slice(decodeIssues), ...checked.issues, ...plugins];
  // A value of the wrong type was dropped, so later rules see it as missing: say it once, as the type error.
  const issues = [...ctx.issues.slice(0, decodeIssues), ...later.filter((i) => !typeErrors.has(i.path))];
  if (issues.length > 0) throw new ConfigError(issues);
  return { config, warnings: [...ctx.warnings, ...checked.warnings] };
}

/** Reads and parses the config file at `path`; see `parseConfig`. */
export function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
  registry: Registry = defaultRegistry,
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError([{ path: '', message: `cannot read config file ${JSON.stringify(path)}: ${reason}` }]);
  }
  return parseConfig(text, env, overrides, registry);
}
