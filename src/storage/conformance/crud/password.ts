/** PasswordCRUD: local users, keyed by e-mail compared case-insensitively. */
import assert from 'node:assert/strict';
import { AlreadyExistsError } from '../../../lib/errors.js';
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function passwordCrud(h: Harness): void {
  runCrud(h, {
    make: f.password,
    keyFields: ['email'],
    sortKey: (p) => p.email,
    create: (s, p) => s.createPassword(p),
    get: (s, p) => s.getPassword(p.email),
    update: (s, p, fn) => s.updatePassword(p.email, fn),
    change: (old) => ({ ...old, hash: '$2a$10$changed', groups: ['team-b'], emailVerified: true }),
    remove: (s, p) => s.deletePassword(p.email),
    list: (s) => s.listPasswords(),
  });

  h.test('e-mail is case-insensitive', async (s) => {
    const p = { ...f.password(0), email: 'jane@example.com' };
    await s.createPassword(p);
    assert.deepStrictEqual(await s.getPassword('JANE@example.com'), p);
    await assert.rejects(s.createPassword({ ...f.password(1), email: 'Jane@Example.COM' }), AlreadyExistsError);
    const updated = await s.updatePassword('JANE@EXAMPLE.COM', (old) => ({ ...old, name: 'Jane' }));
    assert.equal(updated.name, 'Jane');
    await s.deletePassword('Jane@example.com');
    assert.deepStrictEqual(await s.listPasswords(), []);
  });
}
