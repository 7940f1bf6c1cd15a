/** Config for the end-to-end login flows: the password DB, the mock callback connector, two clients. */

import { hash } from '@node-rs/bcrypt';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const ADMIN = { email: 'admin@example.com', password: 'password', userId: '08a8684b-db88-4b73-90a9-3cd1661f5466' };

export async function loginConfig(): Promise<(issuer: string, listen: string) => string> {
  const adminHash = await hash(ADMIN.password, 10);
  return (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
expiry:
  refreshTokens:
    reuseInterval: 0s
connectors:
- type: mockCallback
  id: mock
  name: Example
enablePasswordDB: true
staticPasswords:
- email: ${ADMIN.email}
  hash: "${adminHash}"
  username: admin
  name: Admin User
  preferredUsername: admin
  userID: ${ADMIN.userId}
  groups: [team-a, team-a/admins]
staticClients:
- id: public-app
  name: Public App
  public: true
  redirectURIs: ['${REDIRECT}']
- id: conf-app
  secret: conf-secret
  name: Confidential App
  redirectURIs: ['${REDIRECT}']
- id: cli-app
  name: CLI
  public: true
`;
}
