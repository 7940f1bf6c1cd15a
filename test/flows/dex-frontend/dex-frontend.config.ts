/** Config for logins through dex-format frontend dirs (test/fixtures/dex-frontend): password DB plus a mock connector. */

import { join } from 'node:path';
import { hash } from '@node-rs/bcrypt';
import { packageRoot } from '../../../src/lib/package-root.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const USER = { email: 'ada@example.com', password: 'correct horse', userId: '6a1f0b2e-4c5d-4e6f-8a9b-0c1d2e3f4a5b' };
export const fixtureDir = (name: 'plain' | 'custom') => join(packageRoot(), 'test', 'fixtures', 'dex-frontend', name);

export async function dexFrontendConfig(frontend: 'plain' | 'custom', opts: { skipApproval: boolean }): Promise<(issuer: string, listen: string) => string> {
  const pwHash = await hash(USER.password, 10);
  return (issuer, listen) => `
issuer: ${issuer}
storage:
  type: memory
web:
  http: ${listen}
frontend:
  dir: ${fixtureDir(frontend)}
  issuer: Acme
  theme: ${frontend === 'custom' ? 'acme' : 'light'}
  extra:
    supportEmail: help@acme.example
oauth2:
  skipApprovalScreen: ${opts.skipApproval}
connectors:
- type: mockCallback
  id: mock
  name: Example
enablePasswordDB: true
staticPasswords:
- email: ${USER.email}
  hash: "${pwHash}"
  username: ada
  userID: ${USER.userId}
staticClients:
- id: web-app
  secret: web-secret
  name: Web App
  redirectURIs: ['${REDIRECT}']
- id: tv
  name: TV App
  public: true
`;
}
