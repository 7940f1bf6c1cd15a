/**
 * `mockCallback` (dex v2.45.1 `connector/mock/connectortest.go`): no configuration, no user interaction. `loginURL` sends
 * the browser straight back to the callback URL with `state`; every login, refresh and token exchange yields the
 * same identity (Kilgore Trout, groups `authors`, connector data "foobar"). For tests and local development only.
 */

import { ConfigError } from '../../lib/errors.js';
import type {
  CallbackConnector,
  CallbackRequest,
  ConnectorFactory,
  Identity,
  RefreshConnector,
  Scopes,
  TokenIdentityConnector,
} from '../types.js';
import { kilgoreTrout } from './identity.js';

const identity = (): Identity => kilgoreTrout(['authors'], 'foobar');

export class MockCallbackConnector implements CallbackConnector, RefreshConnector, TokenIdentityConnector {
  async loginURL(_scopes: Scopes, callbackURL: string, state: string): Promise<{ url: string; connectorData: null }> {
    const url = new URL(callbackURL);
    url.searchParams.set('state', state);
    return { url: url.toString(), connectorData: null };
  }

  async handleCallback(_scopes: Scopes, _data: Uint8Array | null, _request: CallbackRequest): Promise<Identity> {
    return identity();
  }

  async refresh(_scopes: Scopes, _identity: Identity): Promise<Identity> {
    return identity();
  }

  async tokenIdentity(_subjectTokenType: string, _subjectToken: string): Promise<Identity> {
    return identity();
  }
}

/** Accepts any mapping (extra keys are ignored, as dex's empty config struct does). */
export const mockCallback: ConnectorFactory<Record<string, never>> = {
  type: 'mockCallback',
  parseConfig(raw: unknown, path: string): Record<string, never> {
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ConfigError('expected a mapping', path);
    }
    return {};
  },
  open: () => new MockCallbackConnector(),
};
