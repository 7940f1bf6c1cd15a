/**
 * The `api.Dex` service: every RPC of dex's admin API, assembled from one file per domain. Each method is wrapped
 * so that whatever it throws leaves as a gRPC status with a safe message (`errors.ts`).
 */

import type { ServiceImpl } from '@connectrpc/connect';
import { clientRpcs } from './clients.js';
import { connectorRpcs } from './connectors.js';
import type { ApiDeps } from './deps.js';
import { toConnectError } from './errors.js';
import type { Dex } from './gen/api_pb.js';
import { identityRpcs } from './identities.js';
import { infoRpcs } from './info.js';
import { mfaRpcs } from './mfa.js';
import { passwordRpcs } from './passwords.js';
import { refreshRpcs } from './refresh.js';
import { sessionRpcs } from './sessions.js';

export type DexService = ServiceImpl<typeof Dex>;

type AnyRpc = (req: unknown, ctx: unknown) => Promise<unknown>;

export function createDexService(deps: ApiDeps): DexService {
  const logger = deps.logger.child({ component: 'api' });
  const scoped: ApiDeps = { ...deps, logger };
  const impl: DexService = {
    ...clientRpcs(scoped),
    ...passwordRpcs(scoped),
    ...connectorRpcs(scoped),
    ...infoRpcs(scoped),
    ...refreshRpcs(scoped),
    ...sessionRpcs(scoped),
    ...identityRpcs(scoped),
    ...mfaRpcs(scoped),
  };
  const wrapped: Record<string, AnyRpc> = {};
  for (const [name, rpc] of Object.entries(impl) as Array<[string, AnyRpc]>) {
    wrapped[name] = async (req, ctx) => {
      try {
        return await rpc(req, ctx);
      } catch (err) {
        const out = toConnectError(err, name, logger);
        logger.debug({ rpc: name, code: out.code }, 'api: request refused');
        throw out;
      }
    };
  }
  return wrapped as unknown as DexService;
}
