/**
 * `google` connector config (dex v2.45.1 `connector/google/google.go`). Keys and defaults are dex's:
 *
 * ```yaml
 * type: google
 * config:
 *   clientID: $GOOGLE_CLIENT_ID
 *   clientSecret: $GOOGLE_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 *   scopes: [profile, email]          # default; `openid` is always added first
 *   hostedDomains: [example.com]      # sent as `hd` (`*` when several); the ID token's `hd` must be one of them
 *   groups: [admins@example.com]      # required membership (needs the directory below)
 *   serviceAccountFilePath: /etc/dex/sa.json   # else $GOOGLE_APPLICATION_CREDENTIALS
 *   domainToAdminEmail:               # Workspace domain (or "*") → super admin the service account impersonates
 *     example.com: admin@example.com
 *   adminEmail: admin@example.com     # deprecated: the "*" entry
 *   fetchTransitiveGroupMembership: false
 *   promptType: consent               # `prompt` sent with offline_access (default consent)
 * ```
 */

import { z } from 'zod';
import { ConfigError } from '../../lib/errors.js';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
  scopes: z.array(z.string()).default([]),
  hostedDomains: z.array(z.string().min(1)).default([]),
  groups: z.array(z.string()).default([]),
  serviceAccountFilePath: z.string().default(''),
  adminEmail: z.string().default(''),
  domainToAdminEmail: z.record(z.string(), z.string().min(1)).default({}),
  fetchTransitiveGroupMembership: z.boolean().default(false),
  promptType: z.string().optional(),
});

export type GoogleConfig = Omit<z.output<typeof schema>, 'promptType' | 'adminEmail'> & {
  /** `prompt` sent with `access_type=offline`; empty sends none. */
  promptType: string;
  /** `true` when the deprecated `adminEmail` filled the `*` entry of `domainToAdminEmail`. */
  usesAdminEmail: boolean;
};

export function parseGoogleConfig(raw: unknown, path: string, strict = false): GoogleConfig {
  const { promptType, adminEmail, ...c } = parsePluginConfig(schema, raw, path, strict);
  const domainToAdminEmail = { ...c.domainToAdminEmail };
  if (adminEmail) domainToAdminEmail['*'] = adminEmail;
  if (c.serviceAccountFilePath && Object.keys(domainToAdminEmail).length === 0) {
    throw new ConfigError('the directory service requires domainToAdminEmail (the admin to impersonate)', `${path}.domainToAdminEmail`);
  }
  return { ...c, domainToAdminEmail, promptType: promptType ?? 'consent', usesAdminEmail: adminEmail !== '' };
}
