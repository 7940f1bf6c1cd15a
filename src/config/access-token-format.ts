/**
 * `oauth2.accessTokenFormat` and `staticClients[].accessTokenFormat` (Ferry only; issue 13 item 3): `jwt` (dex's
 * signed access tokens, the default) or `opaque` (src/server/tokens/opaque-access-token.ts). Any other value is a
 * config error naming the key. A static client's own setting wins over the global one; clients created through
 * the gRPC API have no such field (dex's API has none) and follow the global setting.
 */

import type { Client } from '../storage/types.js';
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

/** The global format and each static client's own; `clients` is `buildStaticClients`' result for the same tree. */
export function buildAccessTokenFormats(
  tree: Decoded,
  clients: readonly Client[],
  ctx: BuildContext,
): Required<Pick<OAuth2Config, 'accessTokenFormat' | 'clientAccessTokenFormats'>> {
  const accessTokenFormat = formatAt(read.obj(tree, 'oauth2'), 'oauth2.', ctx) ?? 'jwt';
  const clientAccessTokenFormats: Record<string, AccessTokenFormat> = {};
  read.objs(tree, 'staticClients').forEach(([i, c], k) => {
    const own = formatAt(c, `staticClients[${i}].`, ctx);
    const id = clients[k]?.id;
    if (own !== null && id) clientAccessTokenFormats[id] = own;
  });
  return { accessTokenFormat, clientAccessTokenFormats };
}
