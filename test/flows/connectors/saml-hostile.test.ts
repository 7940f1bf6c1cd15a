/**
 * The hostile SAML corpus (`test/fixtures/saml/corpus/`, made by `generate.ts` from genuinely signed responses):
 * every hostile response is rejected with a `UserRefusedError` (`invalid_response`: a 400 page, never a 5xx) whose log message names the rule that fired, and
 * the genuine ones are accepted, so a connector that rejected everything would fail here. Also: replay of an
 * accepted assertion, clock skew, and that the committed corpus matches its generator.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { saml } from '../../../src/connectors/saml/index.js';
import type { SAMLConnector, Scopes } from '../../../src/connectors/types.js';
import { UserRefusedError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { KEYS, WORLD } from '../../fixtures/saml/corpus.js';
import { buildCases } from '../../fixtures/saml/hostile-cases.js';

const corpus = new URL('../../fixtures/saml/corpus/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', corpus), 'utf8')) as { name: string; about: string; reject: string | null }[];
const load = (name: string) => Buffer.from(readFileSync(new URL(`${name}.xml`, corpus), 'utf8')).toString('base64');
const SCOPES: Scopes = { offlineAccess: false, groups: true };

async function open(extra: Record<string, unknown> = {}, now = WORLD.now): Promise<SAMLConnector> {
  const config = saml.parseConfig(
    {
      ssoURL: 'https://idp.example.org/sso',
      redirectURI: WORLD.acs,
      entityIssuer: WORLD.sp,
      ssoIssuer: WORLD.idp,
      caData: Buffer.from(KEYS.idpCert).toString('base64'),
      usernameAttr: 'name',
      emailAttr: 'email',
      groupsAttr: 'groups',
      ...extra,
    },
    'connectors[0].config',
  );
  return (await saml.open('saml', config, { logger: silentLogger(), now: () => now, issuer: 'https://ferry.example.org/dex' })) as SAMLConnector;
}

test('the corpus holds at least 20 hostile responses and the genuine controls', () => {
  assert.ok(cases.filter((c) => c.reject !== null).length >= 20);
  assert.deepEqual(cases.filter((c) => c.reject === null).map((c) => c.name), ['good-assertion-signed', 'good-response-signed', 'good-both-signed']);
});

test('the committed corpus is what the generator produces', () => {
  for (const c of buildCases()) assert.equal(readFileSync(new URL(`${c.name}.xml`, corpus), 'utf8'), c.xml, `${c.name} is stale: run generate.ts`);
});

describe('genuine responses are accepted', () => {
  for (const c of cases.filter((x) => x.reject === null)) {
    test(c.name, async () => {
      const id = await (await open()).handlePost(SCOPES, load(c.name), WORLD.requestId);
      assert.equal(id.userId, 'janedoe@example.org');
      assert.equal(id.email, 'janedoe@example.org');
      assert.equal(id.username, 'Jane Doe');
      assert.deepEqual(id.groups, ['admins', 'developers']);
    });
  }
});

describe('hostile responses are rejected', () => {
  for (const c of cases.filter((x) => x.reject !== null)) {
    test(`${c.name}: ${c.about}`, async () => {
      await assert.rejects((await open()).handlePost(SCOPES, load(c.name), WORLD.requestId), (err: unknown) => {
        assert.ok(err instanceof UserRefusedError && err.reason === 'invalid_response', `${c.name}: got ${(err as Error)?.name}: ${(err as Error)?.message}`);
        assert.match(err.message, new RegExp(c.reject as string), `${c.name} was rejected for the wrong reason`);
        return true;
      });
    });
  }
});

describe('replay and time', () => {
  test('an accepted assertion is refused the second time', async () => {
    const conn = await open();
    await conn.handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId);
    await assert.rejects(conn.handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId), /was already used/);
  });

  test('a replay against another request is refused for InResponseTo', async () => {
    await assert.rejects((await open()).handlePost(SCOPES, load('good-assertion-signed'), 'req-fixture-2'), /InResponseTo/);
  });

  test('the default skew is 30s; clockSkew widens it', async () => {
    const late = new Date(Date.parse('2030-01-01T00:05:20Z'));
    await assert.doesNotReject((await open({}, late)).handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId));
    const later = new Date(Date.parse('2030-01-01T00:05:40Z'));
    await assert.rejects((await open({}, later)).handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId), /has expired/);
    await assert.doesNotReject((await open({ clockSkew: '2m' }, later)).handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId));
    const early = new Date(Date.parse('2029-12-31T23:58:20Z'));
    await assert.rejects((await open({}, early)).handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId), /not valid yet/);
  });

  test('the wrong CA rejects even the genuine response', async () => {
    const conn = await open({ caData: Buffer.from(KEYS.attackerCert).toString('base64') });
    await assert.rejects(conn.handlePost(SCOPES, load('good-assertion-signed'), WORLD.requestId), /signature verification failed/);
  });

  test('insecureSkipSignatureValidation accepts an unsigned response (and only that switch does)', async () => {
    const conn = await open({ caData: undefined, insecureSkipSignatureValidation: true });
    const id = await conn.handlePost(SCOPES, load('unsigned'), WORLD.requestId);
    assert.equal(id.userId, 'janedoe@example.org');
  });

  test('insecureAllowSHA1 accepts the SHA-1 signed responses the default refuses', async () => {
    for (const name of ['sha1-signature', 'sha1-digest']) {
      const id = await (await open({ insecureAllowSHA1: true })).handlePost(SCOPES, load(name), WORLD.requestId);
      assert.equal(id.userId, 'janedoe@example.org', name);
    }
  });

  test('garbage is refused as an invalid response (UserRefusedError)', async () => {
    const conn = await open();
    for (const bad of ['', 'not base64!', Buffer.from('<a/>').toString('base64'), Buffer.from([0xff, 0xfe, 0x00]).toString('base64')]) {
      await assert.rejects(conn.handlePost(SCOPES, bad, WORLD.requestId), UserRefusedError);
    }
  });
});
