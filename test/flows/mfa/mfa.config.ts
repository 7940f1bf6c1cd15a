/**
 * Config of the MFA flows: the password DB (two users), a TOTP and a WebAuthn authenticator, MFA secrets encrypted
 * with a key, and clients with each chain plus one with `mfaChain: []`; two more authenticators are named after
 * Object.prototype's members (`toString`, `hasOwnProperty`), which a plain-object lookup would find on every user. The issuer is on `localhost`, since WebAuthn
 * refuses an IP address as relying-party id.
 */

import { hash } from '@node-rs/bcrypt';
import { randomBytes } from 'node:crypto';
import { startFerry } from '../../../src/cli/start.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { freePort, type TestFerry } from '../../helpers/ferry.js';

export const ALICE = { email: 'alice@example.com', password: 'alice-password', userId: 'alice-id' };
export const BOB = { email: 'bob@example.com', password: 'bob-password', userId: 'bob-id' };
export const MFA_KEY = randomBytes(32).toString('base64');

export async function startMfaFerry(redirectURI: string): Promise<TestFerry> {
  const [aliceHash, bobHash] = await Promise.all([hash(ALICE.password, 10), hash(BOB.password, 10)]);
  const port = await freePort();
  const issuer = `http://localhost:${port}/dex`;
  const client = (id: string, chain: string) => `- {id: ${id}, name: ${id}, public: true, redirectURIs: ['${redirectURI}'], mfaChain: ${chain}}`;
  const yaml = `
issuer: ${issuer}
storage: {type: memory}
web: {http: 127.0.0.1:${port}}
oauth2: {skipApprovalScreen: true}
enablePasswordDB: true
staticPasswords:
- {email: ${ALICE.email}, hash: "${aliceHash}", username: alice, userID: ${ALICE.userId}}
- {email: ${BOB.email}, hash: "${bobHash}", username: bob, userID: ${BOB.userId}}
mfa:
  encryptionKey: ${MFA_KEY}
  authenticators:
  - {id: totp, type: TOTP, config: {issuer: Ferry Test}}
  - {id: key, type: WebAuthn, config: {rpDisplayName: Ferry Test, userVerification: required}}
  - {id: toString, type: TOTP, config: {issuer: Ferry Test}}
  - {id: hasOwnProperty, type: WebAuthn, config: {rpDisplayName: Ferry Test}}
staticClients:
${client('totp-app', '[totp]')}
${client('key-app', '[key]')}
${client('plain-app', '[]')}
${client('inherited-totp-app', '[toString]')}
${client('inherited-key-app', '[hasOwnProperty]')}
`;
  const { config } = parseConfig(yaml, {});
  const ferry = await startFerry(config, { logger: silentLogger(), env: {} });
  return { issuer, ferry, stop: () => ferry.stop() };
}
