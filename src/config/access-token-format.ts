/**
 * `oauth2.accessTokenFormat` and `staticClients[].accessTokenFormat` (Ferry only; issue 13 item 3): `jwt` (dex's
 * signed access tokens, the default) or `opaque` (src/server/tokens/opaque-access-token.ts). Any other value is a
 * config error naming the key. A static client's own setting wins over the global one; clients created through
 * the gRPC API have no such field (dex's API has none) and follow the global setting.
 */

import type { BuildContext } from './build-context.js';
import { type Decoded, read } from './decode.js';
import type { AccessTokenFormat, OAuth2Config } from './types.js';

const FORMATS: readonly AccessTokenFormat[] = ['jwt', 'opaque'];

function formatAt(o: Decoded | undefined, path: string, ctx: BuildContext): AccessTokenFormat | null {
  const value = read.str(o, 'accessTokenFormat');
  if (value === '') return null;
  if ((FORMATS as readonly string[]).includes(value)) return value as AccessTokenFormat;
  ctx.issues.push({ path: `${path}accessTokenFormat`, message: `must be one of ${FORMATS.join(', ')} (got "${value}")` });
  return null;
}

/**
 * The global format and each static client's own, keyed by the client's id (`id`, or the variable `idEnv` names;
 * static-clients.ts reports a missing one). Keys are set only when configured, so a config without them reads
 * exactly as before.
 */
export function buildAccessTokenFormats(tree: Decoded, ctx: BuildContext): Pick<OAuth2Config, 'accessTokenFormat' | 'clientAccessTokenFormats'> {
  const global = formatAt(read.obj(tree, 'oauth2'), 'oauth2.', ctx);
  const own: Record<string, AccessTokenFormat> = {};
  for (const [i, c] of read.objs(tree, 'staticClients')) {
    const format = formatAt(c, `staticClients[${i}].`, ctx);
    const id = read.str(c, 'id') || (ctx.env[read.str(c, 'idEnv')] ?? '');
    if (format !== null && id !== '') own[id] = format;
  }
  return { ...(global ? { accessTokenFormat: global } : {}), ...(Object.keys(own).length > 0 ? { clientAccessTokenFormats: own } : {}) };
}
