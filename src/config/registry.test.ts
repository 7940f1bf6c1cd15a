import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorFactory } from '../connectors/types.js';
import { ConfigError } from '../lib/errors.js';
import type { StorageFactory } from '../storage/storage.js';
import { parseConfig } from './load.js';
import { lookup, type Registry, validatePluginConfigs } from './plugin-configs.js';
import { connectorFactories, lookupConnectorFactory, lookupStorageFactory, storageFactories } from './registry.js';

test('the registry knows dex names for the backends and connectors Ferry has', () => {
  assert.equal(lookupStorageFactory('memory')?.type, 'memory');
  assert.equal(lookupStorageFactory('sqlite3')?.type, 'sqlite3');
  assert.equal(lookupConnectorFactory('mockCallback')?.type, 'mockCallback');
  assert.equal(lookupConnectorFactory('mockPassword')?.type, 'mockPassword');
  assert.equal(lookupStorageFactory('cassandra'), undefined);
  assert.equal(lookupConnectorFactory('local'), undefined, 'the password DB is not a configurable type');
  assert.equal(lookupConnectorFactory('constructor'), undefined, 'inherited keys are not factories');
  const aliases: Record<string, string> = { samlExperimental: 'saml' };
  for (const [name, f] of [...Object.entries(storageFactories), ...Object.entries(connectorFactories)]) {
    assert.equal(f.type, aliases[name] ?? name, `registered under its own type name: ${name}`);
  }
});

test('lookup ignores prototype keys', () => {
  assert.equal(lookup({ a: 1 }, 'a'), 1);
  assert.equal(lookup({ a: 1 }, 'toString'), undefined);
});

/** A stub registry: one storage type and one connector type whose parseConfig demand `host`. */
const stub: Registry = {
  storage: {
    kv: {
      type: 'kv',
      parseConfig(raw, path) {
        if (!(raw as { host?: string }).host) throw new ConfigError('required', `${path}.host`);
        return raw;
      },
      open: async () => {
        throw new Error('not used');
      },
    } satisfies StorageFactory,
  },
  connectors: {
    upstream: {
      type: 'upstream',
      parseConfig(raw, path) {
        const r = raw as { host?: string; port?: unknown };
        const issues = [];
        if (!r.host) issues.push({ path: `${path}.host`, message: 'required' });
        if (r.port !== undefined && typeof r.port !== 'number') issues.push({ path: `${path}.port`, message: 'expected a number' });
        if (issues.length) throw new ConfigError(issues);
        return raw;
      },
      open: () => ({}),
    } satisfies ConnectorFactory,
    broken: {
      type: 'broken',
      parseConfig() {
        throw new TypeError('factory bug');
      },
      open: () => ({}),
    },
  },
};

const yaml = `
issuer: https://auth.example.com
storage: {type: kv, config: {}}
web: {http: ":5556"}
connectors:
  - {type: upstream, id: a, name: A, config: {host: ldap.example.com}}
  - {type: upstream, id: b, name: B, config: {port: "389"}}
  - {type: broken, id: c, name: C}
  - {type: missing, id: d, name: D}
`;

test('plugin configs are checked by their factories, with paths under the config key', () => {
  assert.throws(
    () => parseConfig(yaml, {}, {}, stub),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(
        err.issues.map((i) => `${i.path}: ${i.message}`),
        [
          'storage.config.host: required',
          'connectors[1].config.host: required',
          'connectors[1].config.port: expected a number',
          'connectors[2].config: factory bug',
          'connectors[3].type: unknown connector type "missing"',
        ],
      );
      return true;
    },
  );
});

test('validatePluginConfigs returns nothing for valid configs', () => {
  const fixed = yaml.replace('config: {}}', 'config: {host: h}}').replace(/ {2}- \{type: (upstream, id: b|broken|missing).*\n/g, '');
  const { config } = parseConfig(fixed, {}, {}, stub);
  assert.deepEqual(validatePluginConfigs(config, stub), []);
  assert.equal(config.connectors.length, 1);
});

test('every registered backend and connector passes strict mode on: an unknown key is an error only when strict', () => {
  // memory and mockCallback have no config of their own (dex's empty structs); every other factory reads a block.
  const noConfig = new Set(['memory', 'mockCallback']);
  const unknownKeyIssue = (parse: () => unknown): boolean => {
    try {
      parse();
      return false;
    } catch (err) {
      assert.ok(err instanceof ConfigError, 'a ConfigError, not a crash');
      return err.issues.some((i) => i.path === 'p.notAFerryKey' && i.message === 'unknown key');
    }
  };
  const factories = [...Object.entries(storageFactories), ...Object.entries(connectorFactories)].filter(([name]) => !noConfig.has(name));
  assert.ok(factories.length >= 20);
  for (const [name, f] of factories) {
    const parse = (strict: boolean) => () => (f as StorageFactory | ConnectorFactory).parseConfig({ notAFerryKey: 1 }, 'p', strict);
    assert.equal(unknownKeyIssue(parse(true)), true, `${name}: strict names the unknown key`);
    assert.equal(unknownKeyIssue(parse(false)), false, `${name}: lenient ignores it`);
  }
});
