/**
 * `keystone` connector config (dex v2.45.1 `connector/keystone/keystone.go`). Keys are dex's:
 *
 * ```yaml
 * type: keystone
 * config:
 *   keystoneHost: http://keystone.example.com:5000   # Identity API v3 root
 *   domain: default              # a domain id (32 hex digits or a UUID, or "default") or a domain name
 *   keystoneUsername: demo       # admin account used at refresh to check the user and read groups
 *   keystonePassword: DEMO_PASS
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  keystoneHost: z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'not an http(s) URL'),
  domain: z.string().min(1),
  keystoneUsername: z.string().default(''),
  keystonePassword: z.string().default(''),
});

/** How the domain is named in auth requests: dex treats a UUID (with or without dashes) and `default` as an id. */
export type KeystoneDomain = { id: string } | { name: string };

export type KeystoneConfig = Omit<z.output<typeof schema>, 'domain'> & { domain: KeystoneDomain };

const UUID = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

export function parseKeystoneConfig(raw: unknown, path: string, strict = false): KeystoneConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  const domain = c.domain === 'default' || UUID.test(c.domain) ? { id: c.domain } : { name: c.domain };
  return { ...c, keystoneHost: c.keystoneHost.replace(/\/+$/, ''), domain };
}
