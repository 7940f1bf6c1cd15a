/**
 * What the section builders share while turning the decoded tree into `Config`: where problems are collected,
 * the environment (for `idEnv`, `secretEnv`, `hashFromEnv`, `$VAR` expansion) and the feature flags.
 */

import { type Decoded, type DecodeContext, joinPath, read } from './decode.js';
import { parseDuration } from '../lib/duration.js';
import { expandEnvInTree } from './expand-env.js';
import type { FeatureFlags } from './feature-flags.js';

export interface BuildContext extends DecodeContext {
  env: Record<string, string | undefined>;
  flags: FeatureFlags;
}

/** A Go duration at `o[key]` in ms; `fallback` when absent or empty; records an issue (and returns it) when bad. */
export function durationAt(o: Decoded | undefined, key: string, path: string, fallback: number, ctx: BuildContext): number {
  const text = read.str(o, key);
  if (text === '') return fallback;
  try {
    return parseDuration(text);
  } catch (err) {
    ctx.issues.push({ path: joinPath(path, key), message: (err as Error).message });
    return fallback;
  }
}

/** A plugin's raw config, env-expanded when `DEX_EXPAND_ENV` is on (dex expands only these blocks). */
export function pluginConfig(o: Decoded | undefined, ctx: BuildContext): Record<string, unknown> {
  const raw = (o?.['config'] as Record<string, unknown> | undefined) ?? {};
  return ctx.flags.expandEnv ? expandEnvInTree(raw, ctx.env) : raw;
}
