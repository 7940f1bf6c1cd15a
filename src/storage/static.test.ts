import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotFoundError, ReadOnlyError } from '../lib/errors.js';
import * as f from './conformance/fixtures.js';
import { openMemoryStorage } from './memory/index.js';
import { withStaticClients, withStaticConnectors, withStaticPasswords } from './static.js';

const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));

describe('withStaticClients', () => {
  test('static clients answer first, shadow stored ones and are read-only', async () => {
    const base = openMemoryStorage();
    const stat = { ...f.client(0), id: 'web' };
    const stored = f.client(1);
    await base.createClient({ ...f.client(1), id: 'web', name: 'stored twin' });
    await base.createClient(stored);
    const s = withStaticClients(base, [stat]);

    assert.deepStrictEqual(await s.getClient('web'), stat);
    assert.deepStrictEqual(await s.getClient(stored.id), stored);
    assert.deepStrictEqual(byId(await s.listClients()), byId([stat, stored]));

    await assert.rejects(s.createClient({ ...f.client(1), id: 'web' }), ReadOnlyError);
    await assert.rejects(s.updateClient('web', (c) => ({ ...c, name: 'x' })), ReadOnlyError);
    await assert.rejects(s.deleteClient('web'), ReadOnlyError);
    assert.equal((await base.getClient('web')).name, 'stored twin', 'nothing was written underneath');

    const other = f.client(0);
    await s.createClient(other);
    assert.equal((await s.updateClient(other.id, (c) => ({ ...c, name: 'renamed' }))).name, 'renamed');
    await s.deleteClient(other.id);
    await assert.rejects(s.getClient(other.id), NotFoundError);
  });

  test('a returned static client is a copy', async () => {
    const stat = f.client(0);
    const s = withStaticClients(openMemoryStorage(), [stat]);
    (await s.getClient(stat.id)).redirectURIs.push('https://evil.test');
    assert.deepStrictEqual(await s.getClient(stat.id), stat);
  });

  test('nested values of a returned static client are copies too, an own __proto__ key stays a key', async () => {
    const stat = { ...f.client(0), clientCredentialsClaims: { groups: ['robots'] } };
    const odd = JSON.parse('{"__proto__": ["kept"]}') as Record<string, unknown>;
    const s = withStaticClients(openMemoryStorage(), [{ ...stat, ...odd } as typeof stat]);
    const got = await s.getClient(stat.id);
    got.clientCredentialsClaims?.groups.push('admins');
    assert.deepStrictEqual((await s.getClient(stat.id)).clientCredentialsClaims, { groups: ['robots'] });
    assert.ok(Object.hasOwn(got, '__proto__'), 'copied as an own property');
    assert.equal(Object.getPrototypeOf(got), Object.prototype, 'the prototype is not replaced');
  });
});

describe('withStaticPasswords', () => {
  test('matched case-insensitively and read-only', async () => {
    const stat = { ...f.password(0), email: 'Admin@Example.com' };
    const s = withStaticPasswords(openMemoryStorage(), [stat]);
    assert.deepStrictEqual(await s.getPassword('admin@example.COM'), stat);
    await assert.rejects(s.createPassword({ ...f.password(1), email: 'ADMIN@example.com' }), ReadOnlyError);
    await assert.rejects(s.updatePassword('admin@example.com', (p) => p), ReadOnlyError);
    await assert.rejects(s.deletePassword('ADMIN@EXAMPLE.COM'), ReadOnlyError);
    const stored = f.password(1);
    await s.createPassword(stored);
    assert.deepStrictEqual(await s.getPassword(stored.email.toUpperCase()), stored);
    assert.deepStrictEqual(
      (await s.listPasswords()).map((p) => p.email).sort(),
      [stat.email, stored.email].sort(),
    );
  });

  test('a stored password with a static e-mail in another case is shadowed', async () => {
    const base = openMemoryStorage();
    await base.createPassword({ ...f.password(1), email: 'admin@example.com' });
    const stat = { ...f.password(0), email: 'ADMIN@example.com' };
    const s = withStaticPasswords(base, [stat]);
    assert.deepStrictEqual(await s.listPasswords(), [stat]);
  });
});

describe('withStaticConnectors', () => {
  test('static connectors answer first, shadow stored ones and are read-only', async () => {
    const base = openMemoryStorage();
    const stat = { ...f.connector(0), id: 'ldap' };
    await base.createConnector({ ...f.connector(1), id: 'ldap' });
    const stored = f.connector(1);
    await base.createConnector(stored);
    const s = withStaticConnectors(base, [stat]);
    assert.deepStrictEqual(await s.getConnector('ldap'), stat);
    assert.deepStrictEqual(byId(await s.listConnectors()), byId([stat, stored]));
    await assert.rejects(s.updateConnector('ldap', (c) => c), ReadOnlyError);
    await assert.rejects(s.deleteConnector('ldap'), ReadOnlyError);
    await assert.rejects(s.createConnector(stat), ReadOnlyError);
  });
});

test('decorators stack and pass every other method through', async () => {
  const base = openMemoryStorage();
  const s = withStaticConnectors(withStaticPasswords(withStaticClients(base, [f.client(0)]), [f.password(0)]), [f.connector(0)]);
  const r = f.refreshToken(0);
  await s.createRefresh(r);
  assert.deepStrictEqual(await base.getRefresh(r.id), r);
  assert.equal((await s.listClients()).length, 1);
  assert.equal((await s.listPasswords()).length, 1);
  assert.equal((await s.listConnectors()).length, 1);
  await s.ping();
  await s.close();
});
