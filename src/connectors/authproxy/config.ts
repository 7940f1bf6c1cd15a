/**
 * The `authproxy` connector's config block (dex v2.45.1 `connector/authproxy/authproxy.go` `Config`). Every header has
 * dex's default; names are matched case-insensitively, as HTTP header names are.
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

export interface AuthProxyConfig {
  /** The user id; falls back to the user header. */
  userIDHeader: string;
  /** The user name (required on every callback). */
  userHeader: string;
  /** The preferred username; falls back to the user header. */
  userNameHeader: string;
  /** The email; falls back to the user header. */
  emailHeader: string;
  /** Groups, split on `groupHeaderSeparator` and trimmed. */
  groupHeader: string;
  groupHeaderSeparator: string;
  /** Groups every user gets, after the header's groups. */
  staticGroups: string[];
}

const header = (fallback: string) =>
  z
    .string()
    .default('')
    .refine((s) => s === '' || /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(s), { message: 'not a valid HTTP header name' })
    .transform((s) => s || fallback);

const schema = z.object({
  userIDHeader: header('X-Remote-User-Id'),
  userHeader: header('X-Remote-User'),
  userNameHeader: header('X-Remote-User-Name'),
  emailHeader: header('X-Remote-User-Email'),
  groupHeader: header('X-Remote-Group'),
  groupHeaderSeparator: z.string().default('').transform((s) => s || ','),
  staticGroups: z.array(z.string()).default([]),
});

/** Reads `connectors[].config` of an `authproxy` connector; throws `ConfigError` naming each bad key. */
export function parseAuthProxyConfig(raw: unknown, path: string, strict = false): AuthProxyConfig {
  return parsePluginConfig(schema, raw, path, strict);
}
