/**
 * `connectors[].config` of the generic `oauth` connector (dex v2.45.1 `connector/oauth/oauth.go`): OAuth 2.0 code
 * flow plus a userinfo JSON endpoint. Keys and defaults are dex's; `claimMapping` uses camelCase `*Key` names:
 * `userIDKey` → `id`, `userNameKey` → `user_name`, `preferredUsernameKey` → `preferred_username`,
 * `groupsKey` → `groups`, `emailKey` → `email`, `emailVerifiedKey` → `email_verified`. `scopes` has no default.
 * `redirectURI` must be `<issuer>/callback` (checked when the connector opens).
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { refuseInsecureUpstreams } from '../upstream-urls.js';

const url = z.string().refine((s) => URL.canParse(s), 'not a URL');

const claimMappingDefaults = {
  userNameKey: 'user_name',
  preferredUsernameKey: 'preferred_username',
  groupsKey: 'groups',
  emailKey: 'email',
  emailVerifiedKey: 'email_verified',
};

/** An empty string means "the default", as in dex. */
const key = (fallback: string) => z.string().default('').transform((s) => s || fallback);

const schema = z.object({
  clientID: z.string().min(1, 'required'),
  clientSecret: z.string().default(''),
  redirectURI: url,
  tokenURL: url,
  authorizationURL: url,
  userInfoURL: url,
  scopes: z.array(z.string()).default([]),
  rootCAs: z.array(z.string()).default([]),
  insecureSkipVerify: z.boolean().default(false),
  insecureAllowHTTP: z.boolean().default(false),
  userIDKey: key('id'),
  claimMapping: z
    .object({
      userNameKey: key(claimMappingDefaults.userNameKey),
      preferredUsernameKey: key(claimMappingDefaults.preferredUsernameKey),
      groupsKey: key(claimMappingDefaults.groupsKey),
      emailKey: key(claimMappingDefaults.emailKey),
      emailVerifiedKey: key(claimMappingDefaults.emailVerifiedKey),
    })
    .default(claimMappingDefaults),
});

export type OauthConfig = z.output<typeof schema>;

/** Parses an `oauth` connector config; throws `ConfigError` naming each bad key under `path`. */
export function parseOauthConfig(raw: unknown, path: string, strict = false): OauthConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  refuseInsecureUpstreams({ tokenURL: c.tokenURL, authorizationURL: c.authorizationURL, userInfoURL: c.userInfoURL }, path, c.insecureAllowHTTP);
  return c;
}
