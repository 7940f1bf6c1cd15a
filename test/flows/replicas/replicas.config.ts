/**
 * Config of the replica flows: three Ferry processes with ONE issuer (as behind a load balancer), one shared
 * store, signing keys rotated every 2 s and a 1 s refresh-token reuse window.
 */

export const REDIRECT = 'http://127.0.0.1:5555/callback';
/** Three clients with one secret: each keeps its own refresh-token chain (one refresh token per user and client). */
export const CLIENT_IDS = ['replica-app-0', 'replica-app-1', 'replica-app-2'] as const;
export const CLIENT_SECRET = 'replica-secret';
export const USER = { email: 'jane@example.com', password: 'correct horse battery', userId: '4d3c2b1a-0000-4000-8000-00000000beef' };
export const ROTATION_MS = 2000;
export const REUSE_MS = 1000;

export interface StoreConfig {
  type: string;
  config: Record<string, unknown>;
}

export function replicaYaml(o: { issuer: string; listen: string; storage: StoreConfig; passwordHash: string }): string {
  return `
issuer: ${o.issuer}
storage: ${JSON.stringify(o.storage)}
web:
  http: ${o.listen}
logger:
  level: warn
signer:
  type: local
  config:
    keysRotationPeriod: ${ROTATION_MS / 1000}s
expiry:
  refreshTokens:
    reuseInterval: ${REUSE_MS / 1000}s
enablePasswordDB: true
staticPasswords:
- email: ${USER.email}
  hash: "${o.passwordHash}"
  username: jane
  userID: ${USER.userId}
staticClients:
${CLIENT_IDS.map((id) => `- id: ${id}\n  secret: ${CLIENT_SECRET}\n  name: Replica App\n  redirectURIs: ['${REDIRECT}']`).join('\n')}
`;
}
