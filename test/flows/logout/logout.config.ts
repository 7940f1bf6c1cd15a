/**
 * Config for the logout flows: sessions on (the default), the password DB, a confidential client with a registered
 * post-logout URI and a back-channel logout URI on loopback, and fast outbox settings so retries show in seconds.
 */

import { hash } from '@node-rs/bcrypt';

export const USER = { email: 'jane@example.com', password: 'correct horse', userId: '4b1d6e0a-5c7e-4a53-9d1d-0f3c3f2a9e10' };
export const CLIENT = { id: 'web-app', secret: 'web-app-secret' };

export interface LogoutPorts {
  /** The relying party's own port (login callback, post-logout page). */
  rp: number;
  /** The back-channel receiver's port. */
  backchannel: number;
}

export const rpCallback = (p: LogoutPorts) => `http://127.0.0.1:${p.rp}/callback`;
export const postLogoutURI = (p: LogoutPorts) => `http://127.0.0.1:${p.rp}/signed-out`;
export const backchannelURI = (p: LogoutPorts) => `http://127.0.0.1:${p.backchannel}/backchannel-logout`;

/** The static clients and passwords; `storage`/`web`/`issuer` are the caller's. */
export async function logoutClientsYaml(p: LogoutPorts): Promise<string> {
  const pw = await hash(USER.password, 10);
  return `
enablePasswordDB: true
staticPasswords:
- email: ${USER.email}
  hash: "${pw}"
  username: jane
  userID: ${USER.userId}
staticClients:
- id: ${CLIENT.id}
  secret: ${CLIENT.secret}
  name: Web App
  redirectURIs: ['${rpCallback(p)}']
  postLogoutRedirectURIs: ['${postLogoutURI(p)}']
  backchannelLogoutURI: '${backchannelURI(p)}'
  refreshTokenLifetime: session
sessions:
  backchannelLogout:
    timeout: 1s
    leaseDuration: 3s
    retryAfter: 500ms
    maxRetryDelay: 2s
    giveUpAfter: 1m
    pollInterval: 200ms
`;
}

export async function logoutConfig(p: LogoutPorts): Promise<(issuer: string, listen: string) => string> {
  const clients = await logoutClientsYaml(p);
  return (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
${clients}`;
}
