/** Config for the API flow tests: memory storage, the password DB with one static user, a static client. */

import { hash } from '@node-rs/bcrypt';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { dexClient, type DexClient } from './grpc-client.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const STATIC_USER = { email: 'static@example.com', password: 'static-pw', userId: 'static-1' };

export interface ApiFerry extends TestFerry {
  grpcAddr: string;
  api: DexClient;
}

/** Starts Ferry with `grpc.addr` on a free port; `extraGrpc` adds keys under `grpc:` (TLS files). */
export async function startApiFerry(
  opts: { env?: NodeJS.ProcessEnv; extraGrpc?: string; client?: (addr: string) => DexClient } = {},
): Promise<ApiFerry> {
  const grpcPort = await freePort();
  const grpcAddr = `127.0.0.1:${grpcPort}`;
  const staticHash = await hash(STATIC_USER.password, 10);
  const f = await startTestFerry(
    (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
grpc:
  addr: ${grpcAddr}
${opts.extraGrpc ?? ''}
connectors:
- type: mockCallback
  id: mock
  name: Example
enablePasswordDB: true
staticPasswords:
- email: ${STATIC_USER.email}
  hash: "${staticHash}"
  username: static
  userID: ${STATIC_USER.userId}
staticClients:
- id: static-app
  secret: static-secret
  name: Static App
  redirectURIs: ['${REDIRECT}']
`,
    { env: opts.env },
  );
  const api = (opts.client ?? dexClient)(grpcAddr);
  return {
    ...f,
    grpcAddr,
    api,
    stop: async () => {
      api.close();
      await f.stop();
    },
  };
}
