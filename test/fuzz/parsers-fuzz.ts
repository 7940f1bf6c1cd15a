/**
 * Property-based fuzzing of the parsers that read untrusted or operator input (issue 12 item 10):
 * - the SAML response pipeline: genuine corpus responses mutated (bytes flipped, elements duplicated, cut, text
 *   swapped, attributes changed) never log in as anyone else and fail only with a `ConnectorError` (or a `UserRefusedError` for a refused response);
 * - the config loader: YAML built from dex's keys with wrong types, unknown keys and hostile strings is either
 *   accepted or refused with a `ConfigError` naming the key — never another exception.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.js';
import { saml } from '../../src/connectors/saml/index.js';
import type { SAMLConnector } from '../../src/connectors/types.js';
import { ConfigError, ConnectorError, UserRefusedError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { KEYS, WORLD } from '../fixtures/saml/corpus.js';

const corpus = new URL('../fixtures/saml/corpus/', import.meta.url);
const GOOD = ['good-assertion-signed', 'good-response-signed', 'good-both-signed'].map((n) => readFileSync(new URL(`${n}.xml`, corpus), 'utf8'));

async function samlConnector(): Promise<SAMLConnector> {
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
    },
    'c',
  );
  return (await saml.open('saml', config, { logger: silentLogger(), now: () => WORLD.now, issuer: 'https://ferry.example.org/dex' })) as SAMLConnector;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.constantFrom('<', '>', '"', '&', 'a', '/', ' ', '\u0000', '=') }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 200 }) }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.nat({ max: 400 }) }),
  fc.record({ kind: fc.constant('swap' as const), from: fc.constantFrom('janedoe', 'admins', '_a1', 'Success', 'Jane Doe', 'req-fixture'), to: fc.constantFrom('admin', 'root', '_evil', '', 'x'.repeat(100)) }),
  fc.record({ kind: fc.constant('inject' as const), at: fc.nat(), text: fc.constantFrom('<!-- x -->', '<?pi x?>', '<saml:Assertion ID="_x"/>', '<ds:Signature/>', '<!DOCTYPE x>', '&lt;', '<q:x/>') }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(xml: string, m: Mutation): string {
  switch (m.kind) {
    case 'flip': {
      const i = m.at % xml.length;
      return xml.slice(0, i) + m.ch + xml.slice(i + 1);
    }
    case 'cut': {
      const i = m.at % xml.length;
      return xml.slice(0, i) + xml.slice(i + m.len);
    }
    case 'dup': {
      const i = m.at % xml.length;
      return xml.slice(0, i) + xml.slice(i, i + m.len) + xml.slice(i);
    }
    case 'swap':
      return xml.split(m.from).join(m.to);
    case 'inject': {
      const i = m.at % xml.length;
      return xml.slice(0, i) + m.text + xml.slice(i);
    }
  }
}

/** Mutated SAML responses: each either fails with a ConnectorError or yields exactly the genuine identity. */
export async function fuzzSaml(runs: number, seed?: number): Promise<{ cases: number; accepted: number; rejected: number }> {
  const figures = { cases: 0, accepted: 0, rejected: 0 };
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: GOOD.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, ms) => {
      figures.cases++;
      const xml = ms.reduce(mutate, GOOD[which] as string);
      const conn = await samlConnector();
      try {
        const id = await conn.handlePost({ offlineAccess: false, groups: true }, Buffer.from(xml).toString('base64'), WORLD.requestId);
        figures.accepted++;
        if (id.userId !== 'janedoe@example.org' || id.groups.includes('root')) throw new Error(`a mutated response logged in as ${id.userId} ${id.groups}`);
      } catch (err) {
        if (!(err instanceof ConnectorError || err instanceof UserRefusedError)) throw err;
        figures.rejected++;
      }
    }),
    { numRuns: runs, seed },
  );
  return figures;
}

const KEYS_TOP = ['issuer', 'storage', 'web', 'grpc', 'expiry', 'logger', 'oauth2', 'connectors', 'staticClients', 'staticPasswords', 'enablePasswordDB', 'frontend', 'telemetry', 'sessions', 'bogus'];
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('http://x', 'https://a.example/dex', '0s', '-5m', '24h', 'memory', 'sqlite3', ':5556', '$ENV', 'mockCallback', 'local'));
const yamlValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ maxDepth: 3 }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('type', 'id', 'name', 'config', 'http', 'file', 'redirectURIs', 'secret', 'hash', 'email', 'level', 'x'), tie('v'), { maxKeys: 4 })),
})).v;

/** Generated configs: parsed, or refused with a ConfigError; anything else is a failure. */
export async function fuzzConfig(runs: number, seed?: number): Promise<{ cases: number; accepted: number; refused: number }> {
  const figures = { cases: 0, accepted: 0, refused: 0 };
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...KEYS_TOP), yamlValue, { maxKeys: 8 }), fc.boolean(), (doc, withIssuer) => {
      figures.cases++;
      const base = withIssuer ? { issuer: 'https://a.example/dex', storage: { type: 'memory' }, web: { http: '127.0.0.1:0' }, ...doc } : doc;
      try {
        parseConfig(JSON.stringify(base), {});
        figures.accepted++;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        figures.refused++;
      }
    }),
    { numRuns: runs, seed },
  );
  return figures;
}
