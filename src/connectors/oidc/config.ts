/**
 * `connectors[].config` of the `oidc` connector (dex v2.45.1 `connector/oidc/oidc.go`). Keys and defaults are
 * dex's, read case-insensitively; note that `claimMapping` uses dex's snake_case keys.
 *
 * Defaults: `scopes` → `profile email` (`openid` is always sent first); `promptType` → `consent` (sent only with
 * offline access); `pkceChallenge` → auto from the provider's `code_challenge_methods_supported` (S256, then plain);
 * `basicAuthUnsupported` → true only for okta.com / oktapreview.com issuers.
 * Checked here: `hostedDomains` is refused (dex removed it; use the google connector), `pkceChallenge` is S256 or
 * plain, `claimModifications.filterGroupClaims.groupsFilter` compiles. `redirectURI` is checked against the issuer
 * when the connector opens (it must be `<issuer>/callback`).
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { refuseInsecureUpstreams } from '../upstream-urls.js';

const url = z.string().refine((s) => URL.canParse(s), 'not a URL');
const optionalURL = z.union([z.literal(''), url]).default('');

const newGroupFromClaims = z.object({
  claims: z.array(z.string()).default([]),
  delimiter: z.string().default(''),
  clearDelimiter: z.boolean().default(false),
  prefix: z.string().default(''),
});

const schema = z.object({
  issuer: url,
  issuerAlias: z.string().default(''),
  clientID: z.string().min(1, 'required'),
  clientSecret: z.string().default(''),
  redirectURI: url,
  providerDiscoveryOverrides: z
    .object({
      tokenURL: optionalURL,
      authURL: optionalURL,
      jwksURL: optionalURL,
      userInfoURL: optionalURL,
      deviceAuthURL: optionalURL,
      endSessionURL: optionalURL,
    })
    .default({ tokenURL: '', authURL: '', jwksURL: '', userInfoURL: '', deviceAuthURL: '', endSessionURL: '' }),
  basicAuthUnsupported: z.boolean().optional(),
  scopes: z.array(z.string()).default([]),
  hostedDomains: z.array(z.string()).max(0, 'no longer supported by dex or Ferry; use the google connector').default([]),
  rootCAs: z.array(z.string()).default([]),
  insecureSkipVerify: z.boolean().default(false),
  insecureAllowHTTP: z.boolean().default(false),
  insecureSkipEmailVerified: z.boolean().default(false),
  insecureEnableGroups: z.boolean().default(false),
  allowedGroups: z.array(z.string()).default([]),
  acrValues: z.array(z.string()).default([]),
  getUserInfo: z.boolean().default(false),
  /** Ferry-only: audiences an upstream access token must carry to be exchanged (empty: access tokens refused). */
  accessTokenExchangeAudiences: z.array(z.string().min(1)).default([]),
  userIDKey: z.string().default(''),
  userNameKey: z.string().default(''),
  promptType: z.string().default('consent'),
  pkceChallenge: z.enum(['', 'S256', 'plain']).default(''),
  overrideClaimMapping: z.boolean().default(false),
  claimMapping: z
    .object({ preferred_username: z.string().default(''), email: z.string().default(''), groups: z.string().default('') })
    .default({ preferred_username: '', email: '', groups: '' }),
  claimModifications: z
    .object({
      newGroupFromClaims: z.array(newGroupFromClaims).default([]),
      filterGroupClaims: z
        .object({
          groupsFilter: z.string().default('').refine((s) => {
            try {
              new RegExp(s);
              return true;
            } catch {
              return false;
            }
          }, 'not a valid regular expression'),
        })
        .default({ groupsFilter: '' }),
      modifyGroupNames: z.object({ prefix: z.string().default(''), suffix: z.string().default('') }).default({ prefix: '', suffix: '' }),
    })
    .default({ newGroupFromClaims: [], filterGroupClaims: { groupsFilter: '' }, modifyGroupNames: { prefix: '', suffix: '' } }),
});

export type OidcConfig = z.output<typeof schema>;

/** Parses and checks an `oidc` connector config; throws `ConfigError` naming each bad key under `path`. */
export function parseOidcConfig(raw: unknown, path: string, strict = false): OidcConfig {
  const config = parsePluginConfig(schema, raw, path, strict);
  const o = config.providerDiscoveryOverrides;
  const overrides = Object.fromEntries(Object.entries(o).map(([k, v]) => [`providerDiscoveryOverrides.${k}`, v]));
  refuseInsecureUpstreams({ issuer: config.issuer, ...overrides }, path, config.insecureAllowHTTP);
  return config;
}

/** dex's list of providers whose token endpoint refuses HTTP Basic client authentication. */
const BASIC_AUTH_BROKEN = ['okta.com', 'oktapreview.com'];

/** Whether to send the client secret in the form body: the config wins, else known providers. */
export function usesClientSecretPost(config: OidcConfig): boolean {
  if (config.basicAuthUnsupported !== undefined) return config.basicAuthUnsupported;
  const host = new URL(config.issuer).host;
  return BASIC_AUTH_BROKEN.some((d) => host === d || host.endsWith(`.${d}`));
}

/** The scopes sent upstream: `openid`, then the configured ones (default `profile email`), without repeats. */
export function upstreamScopes(config: OidcConfig): string[] {
  const rest = config.scopes.length ? config.scopes : ['profile', 'email'];
  return [...new Set(['openid', ...rest])];
}
