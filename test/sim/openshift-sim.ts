/**
 * OpenShift simulation: the API server's OAuth metadata (`/.well-known/oauth-authorization-server`), the OAuth
 * server (`/oauth/authorize`, `/oauth/token`; client by Basic or form; access tokens for 24 h and no refresh
 * tokens, as OpenShift's OAuth server) and `GET /apis/user.openshift.io/v1/users/~` (a `user.openshift.io/v1`
 * User; 401 answers are Kubernetes `Status` objects). Serve it over TLS with `tls: true`.
 */

import { json, startApiSim, type ApiSim } from './api-sim.js';

export interface OpenshiftSimUser {
  name: string;
  uid: string;
  fullName: string;
  groups: string[];
}

export const OPENSHIFT_CLIENT = { clientId: 'system:serviceaccount:dex:dex', clientSecret: 'eyJ-openshift-sa-token-do-not-log' };

/** alice: two groups. bob: none. dave: 1,500 groups. */
export function openshiftUsers(): Record<string, OpenshiftSimUser> {
  return {
    alice: { name: 'alice', uid: '6c4c9c2e-1f57-4e8a-9a7e-000000000001', fullName: 'Alice Liddell', groups: ['cluster-admins', 'developers'] },
    bob: { name: 'bob', uid: '6c4c9c2e-1f57-4e8a-9a7e-000000000002', fullName: '', groups: [] },
    dave: { name: 'dave', uid: '6c4c9c2e-1f57-4e8a-9a7e-000000000004', fullName: 'Dave', groups: Array.from({ length: 1500 }, (_, i) => `team-${i + 1}`) },
  };
}

const status = (code: number, reason: string, message: string) =>
  json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }, code);

export function startOpenshiftSim(opts: { tls?: boolean; users?: Record<string, OpenshiftSimUser> } = {}): Promise<ApiSim<OpenshiftSimUser>> {
  return startApiSim<OpenshiftSimUser>({
    users: opts.users ?? openshiftUsers(),
    tls: opts.tls,
    oauth: { ...OPENSHIFT_CLIENT, authorizePath: '/oauth/authorize', tokenPath: '/oauth/token', accessTokenTtl: 86400, refreshTokens: false },
    unauthorized: status(401, 'Unauthorized', 'Unauthorized'),
    routes: [
      {
        path: '/.well-known/oauth-authorization-server',
        auth: false,
        handle: (req) => json({
          issuer: req.url.origin,
          authorization_endpoint: `${req.url.origin}/oauth/authorize`,
          token_endpoint: `${req.url.origin}/oauth/token`,
          scopes_supported: ['user:check-access', 'user:full', 'user:info', 'user:list-projects', 'user:list-scoped-projects'],
          response_types_supported: ['code', 'token'],
          grant_types_supported: ['authorization_code', 'implicit'],
          code_challenge_methods_supported: ['plain', 'S256'],
        }),
      },
      {
        path: '/apis/user.openshift.io/v1/users/~',
        handle: (_req, { user, scopes }) => {
          if (!scopes.includes('user:info') && !scopes.includes('user:full')) return status(403, 'Forbidden', 'users.user.openshift.io "~" is forbidden: scopes [] prevent this action');
          return json({
            kind: 'User', apiVersion: 'user.openshift.io/v1',
            metadata: { name: user.name, uid: user.uid, resourceVersion: '4242', creationTimestamp: '2026-01-01T00:00:00Z' },
            fullName: user.fullName || undefined, identities: [`htpasswd:${user.name}`], groups: user.groups,
          });
        },
      },
    ],
  });
}
