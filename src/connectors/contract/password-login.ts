/** `login` for password connectors: calls `login(scopes, username, password)` and requires success. */

import { ConnectorError } from '../../lib/errors.js';
import { isPasswordConnector } from '../capabilities.js';
import type { Connector, Identity, Scopes } from '../types.js';
import type { ContractUser } from './subject.js';

export async function passwordLogin(conn: Connector, scopes: Scopes, user: ContractUser): Promise<Identity> {
  if (!isPasswordConnector(conn)) throw new TypeError('passwordLogin needs a password connector');
  const { identity, valid } = await conn.login(scopes, user.username, user.password ?? '');
  if (!valid || !identity) throw new ConnectorError('contract', `login of ${user.username} was refused`);
  return identity;
}
