/** ConnectorCRUD: stored connectors, including `grantTypes` and the raw config text. */
import * as f from '../fixtures.js';
import type { Harness } from '../harness.js';
import { runCrud } from './run-crud.js';

export function connectorCrud(h: Harness): void {
  runCrud(h, {
    make: f.connector,
    keyFields: ['id'],
    sortKey: (c) => c.id,
    create: (s, c) => s.createConnector(c),
    get: (s, c) => s.getConnector(c.id),
    update: (s, c, fn) => s.updateConnector(c.id, fn),
    change: (old) => ({ ...old, config: '{"host":"other"}', resourceVersion: '9', grantTypes: ['password'] }),
    remove: (s, c) => s.deleteConnector(c.id),
    list: (s) => s.listConnectors(),
  });
}
