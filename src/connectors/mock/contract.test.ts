/** The mock password connector runs the connector contract (the simplest subject; real connectors run it against their peers). */

import { runConnectorContract, passwordLogin } from '../contract/index.js';
import { silentLogger } from '../../lib/logger.js';
import { ConnectorError } from '../../lib/errors.js';
import { mockPassword } from './password.js';

const deps = { logger: silentLogger(), now: () => new Date(), issuer: 'http://127.0.0.1:5556/dex' };
const config = mockPassword.parseConfig({ username: 'kilgore', password: 'trout' }, 'c');

runConnectorContract({
  name: 'mockPassword',
  open: async () => mockPassword.open('mock', config, deps),
  // The mock has no upstream; an "unreachable" one is simulated by a login hook that fails like one.
  openUnreachable: async () => ({
    prompt: () => '',
    login: async () => {
      throw new ConnectorError('mock', 'upstream unreachable');
    },
  }),
  login: passwordLogin,
  users: { primary: { username: 'kilgore', password: 'trout', email: 'kilgore@kilgore.trout', emailVerified: true, groups: [] } },
  refresh: true,
});
