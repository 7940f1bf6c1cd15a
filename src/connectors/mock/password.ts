/**
 * `mockPassword` (dex v2.45.1 `connector/mock/connectortest.go`): accepts exactly the configured `username` and `password`
 * (both required) and logs in Kilgore Trout (no groups). Refresh returns the identity unchanged. The prompt is
 * empty, so the login page says "Username". For tests only.
 */

import { z } from 'zod';
import { constantTimeEqual as sameSecret } from '../../lib/constant-time.js';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import type { ConnectorFactory, Identity, PasswordConnector, RefreshConnector, Scopes } from '../types.js';
import { kilgoreTrout } from './identity.js';

export interface MockPasswordConfig {
  username: string;
  password: string;
}

const schema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export class MockPasswordConnector implements PasswordConnector, RefreshConnector {
  readonly #config: MockPasswordConfig;

  constructor(config: MockPasswordConfig) {
    this.#config = config;
  }

  prompt(): string {
    return '';
  }

  async login(_scopes: Scopes, username: string, password: string): Promise<{ identity: Identity | null; valid: boolean }> {
    const userOk = sameSecret(username, this.#config.username);
    const passOk = sameSecret(password, this.#config.password);
    if (!(userOk && passOk)) return { identity: null, valid: false };
    return { identity: kilgoreTrout([], '{"test": "true"}'), valid: true };
  }

  async refresh(_scopes: Scopes, identity: Identity): Promise<Identity> {
    return identity;
  }
}

export const mockPassword: ConnectorFactory<MockPasswordConfig> = {
  type: 'mockPassword',
  parseConfig: (raw, path, strict = false) => parsePluginConfig(schema, raw, path, strict),
  open: (_id, config) => new MockPasswordConnector(config),
};
