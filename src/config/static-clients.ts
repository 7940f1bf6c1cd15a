/**
 * `staticClients` (dex v2.45.1 `cmd/dex/config.go`, `storage/storage.go` `Client`): each needs a `name`, exactly one of `id`/`idEnv` and, unless `public`,
 * exactly one of `secret`/`secretEnv`; the `*Env` fields name environment variables read now. Every field of the
 * storage `Client` gets its default (empty lists; `null` for `ssoSharedWith`, `mfaChain` and
 * `clientCredentialsClaims` when absent, since null and `[]` mean different things there).
 * Stricter than dex on purpose: an `idEnv`/`secretEnv` naming an unset or empty variable is an error, because
 * an empty secret would let anyone authenticate as that client.
 */

import type { Client } from '../storage/types.js';
import type { BuildContext } from './build-context.js';
import { type Decoded, read } from './decode.js';

/** Reads `<key>` or `<key>Env` (exactly one); returns the value and whether either was given. */
function direct(c: Decoded, key: string, path: string, ctx: BuildContext, required: boolean): string {
  const value = read.str(c, key);
  const envName = read.str(c, `${key}Env`);
  if (value !== '' && envName !== '') {
    ctx.issues.push({ path: `${path}.${key}Env`, message: `${key} and ${key}Env are mutually exclusive` });
    return value;
  }
  if (envName !== '') {
    const fromEnv = ctx.env[envName] ?? '';
    if (fromEnv === '') {
      ctx.issues.push({ path: `${path}.${key}Env`, message: `environment variable ${envName} is unset or empty` });
    }
    return fromEnv;
  }
  if (value === '' && required) ctx.issues.push({ path: `${path}.${key}`, message: `${key} or ${key}Env is required` });
  return value;
}

export function buildStaticClients(tree: Decoded, ctx: BuildContext): Client[] {
  return read.objs(tree, 'staticClients').map(([i, c]) => {
    const path = `staticClients[${i}]`;
    const isPublic = read.bool(c, 'public');
    const name = read.str(c, 'name');
    if (name === '') ctx.issues.push({ path: `${path}.name`, message: 'required' });
    const claims = read.obj(c, 'clientCredentialsClaims');
    return {
      id: direct(c, 'id', path, ctx, true),
      secret: direct(c, 'secret', path, ctx, !isPublic),
      redirectURIs: read.strs(c, 'redirectURIs') ?? [],
      trustedPeers: read.strs(c, 'trustedPeers') ?? [],
      public: isPublic,
      name,
      logoURL: read.str(c, 'logoURL'),
      allowedConnectors: read.strs(c, 'allowedConnectors') ?? [],
      postLogoutRedirectURIs: read.strs(c, 'postLogoutRedirectURIs') ?? [],
      backchannelLogoutURI: read.str(c, 'backchannelLogoutURI'),
      refreshTokenLifetime: read.str(c, 'refreshTokenLifetime'),
      clientCredentialsClaims: claims ? { groups: read.strs(claims, 'groups') ?? [] } : null,
      ssoSharedWith: read.strs(c, 'ssoSharedWith') ?? null,
      mfaChain: read.strs(c, 'mfaChain') ?? null,
    };
  });
}
