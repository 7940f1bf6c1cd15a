/**
 * `signer` (dex v2.45.1 `cmd/dex/config.go`, `server/signer/`): `local` (default) or `vault`. A local signer takes `keysRotationPeriod` from
 * `signer.config` (required there), or, when `signer` is absent, from the deprecated `expiry.signingKeys`
 * (warning), default 6h. `algorithm` is RS256 (default), ES256 or EdDSA (EdDSA is Ferry's addition).
 * Vault reads `VAULT_ADDR`/`VAULT_TOKEN` when `addr`/`token` are empty.
 */

import type { SignerConfig, SigningAlgorithm } from './types.js';
import { type BuildContext, durationAt, pluginConfig } from './build-context.js';
import { type Decoded, decode, read } from './decode.js';
import { LOCAL_SIGNER_SHAPE, VAULT_SIGNER_SHAPE } from './schema.js';

const ALGORITHMS: readonly SigningAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
const SIX_HOURS = 6 * 3_600_000;

/** `legacyPeriod`: `expiry.signingKeys` in ms, already parsed (0 = not set). */
export function buildSigner(tree: Decoded, ctx: BuildContext, legacyPeriod: number): SignerConfig {
  const signer = read.obj(tree, 'signer');
  const expiry = read.obj(tree, 'expiry');
  const legacy = read.str(expiry, 'signingKeys');
  const type = read.str(signer, 'type');
  if (signer === undefined) {
    if (legacy !== '') {
      ctx.warnings.push('expiry.signingKeys is deprecated: use signer.config.keysRotationPeriod');
    }
    return { type: 'local', keysRotationPeriod: legacyPeriod || SIX_HOURS, algorithm: 'RS256' };
  }
  const raw = pluginConfig(signer, ctx);
  if (type === 'vault') {
    const c = decode(raw, VAULT_SIGNER_SHAPE, 'signer.config', ctx) as Decoded | undefined;
    return {
      type: 'vault',
      addr: read.str(c, 'addr') || (ctx.env['VAULT_ADDR'] ?? ''),
      token: read.str(c, 'token') || (ctx.env['VAULT_TOKEN'] ?? ''),
      keyName: read.str(c, 'keyName'),
    };
  }
  if (type !== 'local') {
    const message = type === '' ? 'required' : `unknown signer type ${JSON.stringify(type)}`;
    ctx.issues.push({ path: 'signer.type', message });
    return { type: 'local', keysRotationPeriod: SIX_HOURS, algorithm: 'RS256' };
  }
  const c = decode(raw, LOCAL_SIGNER_SHAPE, 'signer.config', ctx) as Decoded | undefined;
  if (read.str(c, 'keysRotationPeriod') === '') {
    ctx.issues.push({ path: 'signer.config.keysRotationPeriod', message: 'required' });
  } else if (legacy !== '') {
    ctx.warnings.push('both expiry.signingKeys and signer.config.keysRotationPeriod are set: using the latter');
  }
  const algorithm = read.str(c, 'algorithm', 'RS256');
  if (!ALGORITHMS.includes(algorithm as SigningAlgorithm)) {
    ctx.issues.push({
      path: 'signer.config.algorithm',
      message: `unsupported algorithm ${JSON.stringify(algorithm)} (want one of ${ALGORITHMS.join(', ')})`,
    });
  }
  return {
    type: 'local',
    keysRotationPeriod: durationAt(c, 'keysRotationPeriod', 'signer.config', SIX_HOURS, ctx),
    algorithm: ALGORITHMS.includes(algorithm as SigningAlgorithm) ? (algorithm as SigningAlgorithm) : 'RS256',
  };
}
