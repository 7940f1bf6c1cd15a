/**
 * Several devices stay in dex's format (docs/devices.md): a user with two devices of one client, issued by
 * Ferry's own refresh store with sessions on, is written as two ordinary dex refresh tokens and one OfflineSessions
 * record whose every entry is an ordinary dex `RefreshTokenRef`, in each of dex v2.45.1's encodings (etcd, Kubernetes,
 * SQL). dex's refresh grant accepts only the token its `Refresh[clientID]` entry names (v2.45.1
 * server/refreshhandlers.go `updateOfflineSession`): that entry is the newest device.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/lib/logger.js';
import { etcdFormat } from '../../../src/storage/etcd/etcd-format.js';
import { kubeFormat } from '../../../src/storage/kubernetes/kube-format.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';
import { dexSqlFormat } from '../../../src/storage/sql/dex-format.js';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { decodeRefreshToken } from '../../../src/server/tokens/refresh-token-wire.js';
import { dexReadsEtcd, dexReadsKube } from '../../fixtures/dex-store/dex-read-back.js';

const claims = { userId: 'u-1', username: 'Ann', preferredUsername: 'ann', email: 'ann@example.com', emailVerified: true, groups: ['ops'] };

async function twoDevices() {
  const storage = openMemoryStorage();
  let t = Date.parse('2030-01-01T00:00:00Z');
  const deps = { storage, now: () => new Date((t += 60_000)), logger: silentLogger(), config: { sessions: {} } };
  const issue = (sessionId: string) =>
    issueRefreshToken(deps, { clientId: 'kubectl', connectorId: 'ldap', claims, scopes: ['openid', 'offline_access'], nonce: '', sessionId, connectorData: null });
  const first = decodeRefreshToken(await issue('laptop-1'));
  const second = decodeRefreshToken(await issue('laptop-2'));
  return { storage, first, second, tokens: await storage.listRefreshTokens(), session: await storage.getOfflineSessions('u-1', 'ldap') };
}

test('two devices are two dex refresh tokens and dex references, readable by dex in every encoding', async () => {
  const { first, second, tokens, session } = await twoDevices();
  assert.equal(tokens.length, 2);
  assert.deepEqual(tokens.map((x) => x.id).sort(), [first.id, second.id].sort());

  // etcd: dex's JSON at dex's keys
  for (const token of tokens) dexReadsEtcd(etcdFormat.refresh_token.key(token), etcdFormat.refresh_token.encode(token));
  const etcdSession = dexReadsEtcd(etcdFormat.offline_session.key(session), etcdFormat.offline_session.encode(session));
  const refs = etcdSession.refresh as Record<string, { ID: string; ClientID: string }>;
  assert.equal(Object.keys(refs).length, 2, 'one reference per device');
  assert.equal(refs.kubectl?.ID, second.id, "dex's own entry names the newest device");
  assert.deepEqual(Object.values(refs).map((r) => [r.ID, r.ClientID]).sort(), [[first.id, 'kubectl'], [second.id, 'kubectl']].sort());

  // Kubernetes: dex's custom resources
  for (const token of tokens) dexReadsKube('refreshtokens', kubeFormat.refresh_token.encode(token));
  const kube = kubeFormat.offline_session.encode(session);
  dexReadsKube('offlinesessionses', kube);
  assert.equal((kube.refresh as Record<string, { ID: string }>).kubectl?.ID, second.id);

  // SQL: dex's `refresh` column, a JSON map of Go-named RefreshTokenRef fields
  const row = dexSqlFormat.offline_session.encode(session);
  const sqlRefs = JSON.parse(String(row.refresh)) as Record<string, Record<string, unknown>>; // the column's JSON text
  for (const ref of Object.values(sqlRefs)) {
    assert.deepEqual(Object.keys(ref).sort(), ['ClientID', 'CreatedAt', 'ID', 'LastUsed']);
    assert.equal(ref.ClientID, 'kubectl');
  }
  for (const token of tokens) {
    const tokenRow = dexSqlFormat.refresh_token.encode(token);
    assert.equal(tokenRow.client_id, 'kubectl');
    assert.equal(dexSqlFormat.refresh_token.decode(tokenRow).token, token.token, 'the row reads back as the same token');
  }
});

test("Ferry reads back its own devices from dex's encodings unchanged", async () => {
  const { session } = await twoDevices();
  for (const format of [etcdFormat, kubeFormat, dexSqlFormat] as const) {
    const f = format.offline_session as { encode(s: typeof session): unknown; decode(r: unknown): typeof session };
    assert.deepEqual(f.decode(f.encode(session)).refresh, session.refresh);
  }
});
