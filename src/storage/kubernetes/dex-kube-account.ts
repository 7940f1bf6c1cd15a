/**
 * Passwords, connectors, the keys singleton and HEAD's user identities and auth sessions as dex stores them in
 * Kubernetes, field by field from the shared tables (`../dex-format/account-tables.ts`), under dex's names (dex
 * v2.45.1 storage/kubernetes/storage.go): passwords by dex's `idToName` of the lower-cased email, connectors by
 * their id, the keys in the `SigningKey` object `openid-connect-keys`. Revoked tokens are Ferry's own kind (see
 * resources.ts for where they live); the `jti` is kept since a hashed name cannot give it back.
 */

import * as account from '../dex-format/account-tables.js';
import type { AuthSession, Connector, Keys, Password, RevokedToken, UserIdentity } from '../types.js';
import { kubeCodec } from './dex-kube-flow.js';
import { idToName, isValidName, pairName } from './names.js';

/** The name of dex's keys object. */
export const KEYS_OBJECT_NAME = 'openid-connect-keys';

export const kubePassword = kubeCodec<Password>(account.PASSWORD_FIELDS, (p) => idToName(p.email.toLowerCase()));
export const kubeConnector = kubeCodec<Connector>(account.CONNECTOR_FIELDS, (c) => (isValidName(c.id) ? c.id : idToName(c.id)));
export const kubeKeys = kubeCodec<Keys>(account.KEYS_FIELDS, () => KEYS_OBJECT_NAME);
/** Named like offline sessions. */
export const kubeUserIdentity = kubeCodec<UserIdentity>(account.USER_IDENTITY_FIELDS, (u) => pairName(u.userId, u.connectorId));
export const kubeAuthSession = kubeCodec<AuthSession>(account.AUTH_SESSION_FIELDS, (s) => s.id);
export const kubeRevokedToken = kubeCodec<RevokedToken>(account.REVOKED_TOKEN_FIELDS, (t) => (isValidName(t.jti) ? t.jti : idToName(t.jti)));
