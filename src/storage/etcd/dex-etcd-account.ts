/**
 * Passwords, connectors, the keys singleton and HEAD's user identities and auth sessions as dex stores them in
 * etcd, field by field from the shared tables (`../dex-format/account-tables.ts`), at dex's keys (dex v2.45.1
 * storage/etcd/etcd.go). Revoked tokens are Ferry's alone and live under `ferry/`, a prefix dex never reads.
 */

import * as account from '../dex-format/account-tables.js';
import type { AuthSession, Connector, Keys, Password, RevokedToken, UserIdentity } from '../types.js';
import { etcdCodec, pairKey } from './dex-etcd-flow.js';

/** The key of dex's keys singleton. */
export const KEYS_ETCD_KEY = 'openid-connect-keys';

/** Keyed by the lower-cased email. */
export const etcdPassword = etcdCodec<Password>(account.PASSWORD_FIELDS, (p) => `password/${p.email.toLowerCase()}`);
export const etcdConnector = etcdCodec<Connector>(account.CONNECTOR_FIELDS, (c) => `connector/${c.id}`);
export const etcdKeys = etcdCodec<Keys>(account.KEYS_FIELDS, () => KEYS_ETCD_KEY);
/** Keyed by the lower-cased `userID|connectorID`. */
export const etcdUserIdentity = etcdCodec<UserIdentity>(account.USER_IDENTITY_FIELDS, (u) => pairKey('user_identity/', u.userId, u.connectorId));
export const etcdAuthSession = etcdCodec<AuthSession>(account.AUTH_SESSION_FIELDS, (s) => `auth_session/${s.id}`);
export const etcdRevokedToken = etcdCodec<RevokedToken>(account.REVOKED_TOKEN_FIELDS, (t) => `ferry/revoked_token/${t.jti}`);
