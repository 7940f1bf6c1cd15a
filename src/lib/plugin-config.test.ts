import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { base64Bytes, goDuration, goFieldName, parsePluginConfig } from './plugin-config.js';

const schema = z.object({
  host: z.string().min(1),
  insecureNoSSL: z.boolean().default(false),
  timeout: goDuration.optional(),
  rootCAData: base64Bytes.optional(),
  userSearch: z.object({ baseDN: z.string().min(1), scope: z.enum(['sub', 'one']).default('sub') }),
  groups: z.array(z.object({ name: z.string() })).default([]),
});

test('keys match case-insensitively at every depth, exact spelling wins, null leaves a field unset', () => {
  const cfg = parsePluginConfig(
    schema,
    { HOST: 'ldap:389', insecurenossl: true, timeout: '1m30s', usersearch: { BaseDn: 'dc=x' }, Groups: [{ NAME: 'a' }], rootCAData: null, extra: 1 },
    'connectors[0].config',
    false,
  );
  assert.deepEqual(cfg, { host: 'ldap:389', insecureNoSSL: true, timeout: 90_000, userSearch: { baseDN: 'dc=x', scope: 'sub' }, groups: [{ name: 'a' }] });
});

test('every problem is reported with its full key path', () => {
  assert.throws(
    () => parsePluginConfig(schema, { insecureNoSSL: 'yes', timeout: '3 days', rootCAData: '%%', userSearch: {}, groups: [{}] }, 'connectors[2].config', false),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const paths = err.issues.map((i) => i.path).sort();
      assert.deepEqual(paths, [
        'connectors[2].config.groups[0].name',
        'connectors[2].config.host',
        'connectors[2].config.insecureNoSSL',
        'connectors[2].config.rootCAData',
        'connectors[2].config.timeout',
        'connectors[2].config.userSearch.baseDN',
      ]);
      assert.equal(err.issues.find((i) => i.path.endsWith('.host'))?.message, 'required');
      return true;
    },
  );
});

test('base64 bytes decode', () => {
  const cfg = parsePluginConfig(z.object({ caData: base64Bytes }), { cadata: Buffer.from('pem').toString('base64') }, 'p', false);
  assert.equal(Buffer.from(cfg.caData).toString(), 'pem');
});

test('strict mode (DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS) is the argument: unknown keys are errors at any depth only when it is true', () => {
  const raw = { host: 'h', userSearch: { baseDN: 'dc=x', filterr: '(x)' }, typo: 1 };
  assert.deepEqual(parsePluginConfig(schema, raw, 'c', false).userSearch, { baseDN: 'dc=x', scope: 'sub' });
  assert.throws(
    () => parsePluginConfig(schema, raw, 'c', true),
    (err: unknown) => err instanceof ConfigError && err.issues.map((i) => `${i.path}: ${i.message}`).sort().join('|') === 'c.typo: unknown key|c.userSearch.filterr: unknown key',
  );
  assert.doesNotThrow(() => parsePluginConfig(schema, raw, 'c', false), 'no strictness is left behind by the strict call');
});

test('goFieldName: the exact name wins, else the first case-insensitive match, else none', () => {
  assert.equal(goFieldName(['baseDN', 'BaseDN'], 'BaseDN'), 'BaseDN');
  assert.equal(goFieldName(['baseDN', 'BaseDN'], 'BASEDN'), 'baseDN');
  assert.equal(goFieldName(['baseDN'], 'base_dn'), undefined);
});
