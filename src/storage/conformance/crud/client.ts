/** ClientCRUD: clients, including nullable claim and SSO lists. */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function clientCrud(h: Harness): void {
  runCrud(h, {
    make: f.client,
    keyFields: ['id'],
    sortKey: (c) => c.id,
    create: (s, c) => s.createClient(c),
    get: (s, c) => s.getClient(c.id),
    update: (s, c, fn) => s.updateClient(c.id, fn),
    change: (old) => ({ ...old, secret: 'rotated', redirectURIs: [...old.redirectURIs, 'https://x.test/cb'], ssoSharedWith: ['*'] }),
    remove: (s, c) => s.deleteClient(c.id),
    list: (s) => s.listClients(),
  });
}
