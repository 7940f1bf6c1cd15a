/**
 * Fixture for the dex-store flows: a SQL store built exactly as dex v2.45.1 leaves it (test/fixtures/dex-sql:
 * dex's migrations replayed in order, rows in dex's encodings), the Ferry config that opens it unchanged, and the
 * raw reads that check, afterwards, that dex could still read everything.
 */

import { hash } from '@node-rs/bcrypt';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

type KeyLike = CryptoKey;
import { dexMigrationsTable, dexSchemaSteps, type Flavor } from '../../fixtures/dex-sql/schema.js';
import { type DexRows, type Exec, insertDexRows } from '../../fixtures/dex-sql/rows.js';

export const REDIRECT = 'http://127.0.0.1:5555/callback';
export const PASSWORD = 'jane-password';

export interface DexStoreSubject {
  flavor: Flavor;
  /** `storage:` block of the Ferry config (YAML). */
  storageYaml: string;
  /** A connection to the store, for building and reading it as dex would. */
  exec: Exec;
}

/** Replays dex v2.45.1's migrations exactly as dex runs them (one migrations row each). */
export async function buildDexSchema(s: DexStoreSubject): Promise<void> {
  await s.exec(dexMigrationsTable(s.flavor));
  for (const step of dexSchemaSteps(s.flavor)) {
    for (const stmt of step.stmts) await s.exec(stmt);
    await s.exec(step.record);
  }
}

export interface DexData extends DexRows {
  signingKey: KeyLike;
  oldKey: KeyLike;
}

async function rsa(kid: string): Promise<{ priv: KeyLike; jwk: JWK; pub: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  // go-jose's JSONWebKey JSON: the JWK members plus use/kid/alg.
  const meta = { use: 'sig', kid, alg: 'RS256' };
  return { priv: privateKey, jwk: { ...meta, ...(await exportJWK(privateKey)) }, pub: { ...meta, ...(await exportJWK(publicKey)) } };
}

export async function dexData(): Promise<DexData> {
  const [signing, old] = [await rsa('dex-signing-1'), await rsa('dex-old-0')];
  return {
    clientId: 'dex-app',
    clientSecret: 'dex-app-secret',
    redirect: REDIRECT,
    email: 'jane@example.com',
    bcryptHash: await hash(PASSWORD, 10),
    userId: 'jane-1',
    connectorId: 'api-mock',
    signingJwk: signing.jwk as Record<string, unknown>,
    signingPub: signing.pub as Record<string, unknown>,
    oldPub: old.pub as Record<string, unknown>,
    refreshId: 'dexrefreshid0000000000001',
    refreshSecret: 'dexrefreshsecret000000001',
    code: 'dexauthcode00000000000001',
    userCode: 'BCDFGHJK',
    deviceCode: 'dexdevicecode000000000001',
    now: new Date(),
    signingKey: signing.priv,
    oldKey: old.priv,
  };
}

export async function buildDexStore(s: DexStoreSubject, data: DexData): Promise<void> {
  await buildDexSchema(s);
  await insertDexRows(s.exec, s.flavor, data);
}

/** A dex config for the store: nothing Ferry-specific. */
export const ferryConfig = (s: DexStoreSubject, grpcAddr: string) => (issuer: string, listen: string): string => `
issuer: ${issuer}
${s.storageYaml}
web:
  http: ${listen}
grpc:
  addr: ${grpcAddr}
oauth2:
  skipApprovalScreen: true
enablePasswordDB: true
`;
