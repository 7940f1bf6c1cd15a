/** The fixed user both mock connectors log in (dex `connector/mock`): Kilgore Trout. */

import type { Identity } from '../types.js';

/** A fresh copy of the mock identity, so callers may change it freely. */
export function kilgoreTrout(groups: string[], connectorData: string): Identity {
  return {
    userId: '0-385-28089-0',
    username: 'Kilgore Trout',
    preferredUsername: '',
    email: 'kilgore@kilgore.trout',
    emailVerified: true,
    groups: [...groups],
    connectorData: new TextEncoder().encode(connectorData),
  };
}
