/**
 * The mock password connector runs the connector contract (the simplest subject; real connectors run it against
 * their peers). So that this subject can fail, each check also runs against a mock broken in the way that check
 * exists to catch, and must reject it: a contract that passes a broken connector proves nothing.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contractChecks, passwordLogin, runConnectorContract, type ContractSubject } from '../contract/index.js';
import { silentLogger } from '../../lib/logger.js';
import type { Connector, Identity, Scopes } from '../types.js';
import { kilgoreTrout } from './identity.js';
import { mockPassword, MockPasswordConnector } from './password.js';

const deps = { logger: silentLogger(), now: () => new Date(), issuer: 'http://127.0.0.1:5556/dex' };
const config = mockPassword.parseConfig({ username: 'kilgore', password: 'trout' }, 'c');

const subject = (open: () => Connector | Promise<Connector>): ContractSubject => ({
  name: 'mockPassword',
  open,
  noUpstream: 'the mock checks a configured username and password in memory',
  login: passwordLogin,
  users: { primary: { username: 'kilgore', password: 'trout', email: 'kilgore@kilgore.trout', emailVerified: true, groups: [] } },
  refresh: true,
});

runConnectorContract(subject(() => mockPassword.open('mock', config, deps)));

type Login = { identity: Identity | null; valid: boolean };

/** The real mock with one behaviour replaced. */
class Broken extends MockPasswordConnector {
  readonly change: { login?(real: Login): Login; refresh?(id: Identity): Identity };

  constructor(change: Broken['change']) {
    super(config);
    this.change = change;
  }

  override async login(scopes: Scopes, username: string, password: string): Promise<Login> {
    const real = await super.login(scopes, username, password);
    return this.change.login ? this.change.login(real) : real;
  }

  override async refresh(scopes: Scopes, identity: Identity): Promise<Identity> {
    const real = await super.refresh(scopes, identity);
    return this.change.refresh ? this.change.refresh(real) : real;
  }
}

const withIdentity = (r: Login, edit: (id: Identity) => Identity): Login => (r.identity ? { ...r, identity: edit(r.identity) } : r);
let counter = 0;

const mutants: { check: string; broken: Broken }[] = [
  { check: 'a valid login yields a stable, non-empty user id',
    broken: new Broken({ login: (r) => withIdentity(r, (id) => ({ ...id, userId: `user-${++counter}` })) }) },
  { check: 'email and email_verified are as configured',
    broken: new Broken({ login: (r) => withIdentity(r, (id) => ({ ...id, emailVerified: false })) }) },
  { check: 'groups appear only when the groups scope is asked',
    broken: new Broken({ login: (r) => withIdentity(r, (id) => ({ ...id, groups: ['authors'] })) }) },
  { check: 'wrong credentials fail cleanly',
    broken: new Broken({ login: (r) => (r.valid ? r : { identity: kilgoreTrout([], ''), valid: true }) }) },
  { check: 'connector data round-trips into refresh',
    broken: new Broken({ refresh: (id) => ({ ...id, email: '' }) }) },
];

describe('the contract rejects a broken mock, check by check', () => {
  for (const { check, broken } of mutants) {
    test(`${check}: fails for a mock broken for it`, async () => {
      const found = contractChecks(subject(() => broken)).find((c) => c.name === check);
      assert.ok(found, `the contract has the check "${check}"`);
      await assert.rejects(found.run(), assert.AssertionError);
    });
  }

  test('every check of this subject has a mutant', () => {
    assert.deepEqual(contractChecks(subject(() => new Broken({}))).map((c) => c.name).sort(), mutants.map((m) => m.check).sort());
  });
});
