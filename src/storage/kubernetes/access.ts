/**
 * Where the API server is and how to authenticate to it: from a kubeconfig file (its current context) or from the
 * pod's service account (in-cluster), as dex reads them.
 *
 * kubeconfig support: `server`, `certificate-authority(-data)`, `insecure-skip-tls-verify`, `tls-server-name`;
 * users with `token`, `tokenFile`, `client-certificate(-data)` + `client-key(-data)`, or `username`/`password`;
 * the context's `namespace` (default `default`). Relative paths are relative to the kubeconfig's directory.
 * `exec` and `auth-provider` plugins are not supported and fail with a message saying so.
 */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StorageError } from '../../lib/errors.js';

export interface ClusterAccess {
  server: string;
  namespace: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  /** A fixed bearer token, or a file re-read periodically (rotated service-account tokens). */
  token?: string;
  tokenFile?: string;
  basic?: { username: string; password: string };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const fail = (msg: string, cause?: unknown) => new StorageError(`kubernetes storage: ${msg}`, { cause });

function named(list: unknown, name: string, what: string): Obj {
  const found = (Array.isArray(list) ? list : []).map(obj).find((e) => e.name === name);
  if (!found) throw fail(`kubeconfig: no ${what} named "${name}"`);
  return obj(found[what]);
}

/** Reads the current context of a kubeconfig file. */
export function kubeConfigAccess(file: string): ClusterAccess {
  let doc: Obj;
  try {
    doc = obj(parseYaml(readFileSync(file, 'utf8')));
  } catch (err) {
    throw fail('cannot read kubeConfigFile', err);
  }
  const base = dirname(resolve(file));
  const load = (path: string, data: string, what: string): Buffer | undefined => {
    if (data) return Buffer.from(data, 'base64');
    if (!path) return undefined;
    try {
      return readFileSync(resolve(base, path));
    } catch (err) {
      throw fail(`kubeconfig: cannot read ${what}`, err);
    }
  };
  const contexts = Array.isArray(doc.contexts) ? doc.contexts.map(obj) : [];
  const current = str(doc['current-context']) || (contexts.length === 1 ? str(contexts[0]?.name) : '');
  if (!current) throw fail('kubeconfig has no current context');
  const context = named(doc.contexts, current, 'context');
  const cluster = named(doc.clusters, str(context.cluster), 'cluster');
  const user = context.user ? named(doc.users, str(context.user), 'user') : {};
  if (user.exec || user['auth-provider']) throw fail('kubeconfig: exec and auth-provider credentials are not supported; use a token or a client certificate');
  if (!str(cluster.server)) throw fail(`kubeconfig: cluster "${str(context.cluster)}" has no server`);
  const tokenFile = str(user.tokenFile);
  return {
    server: str(cluster.server).replace(/\/+$/, ''),
    namespace: str(context.namespace) || 'default',
    ca: load(str(cluster['certificate-authority']), str(cluster['certificate-authority-data']), 'certificate-authority'),
    cert: load(str(user['client-certificate']), str(user['client-certificate-data']), 'client-certificate'),
    key: load(str(user['client-key']), str(user['client-key-data']), 'client-key'),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']) || undefined,
    token: str(user.token) || undefined,
    tokenFile: tokenFile ? resolve(base, tokenFile) : undefined,
    basic: str(user.username) ? { username: str(user.username), password: str(user.password) } : undefined,
  };
}

/** The standard service-account mount. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The namespace claim of a legacy (non-bound) service-account token, or ''. */
function namespaceClaim(token: string): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Obj;
    return str(payload['kubernetes.io/serviceaccount/namespace']);
  } catch {
    return '';
  }
}

/**
 * In-cluster access: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the service account's token and
 * CA, and the namespace from `$KUBERNETES_POD_NAMESPACE`, the token's legacy namespace claim, or the mounted file.
 */
export function inClusterAccess(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw fail('inCluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  const read = (name: string): string => {
    try {
      return readFileSync(resolve(dir, name), 'utf8').trim();
    } catch (err) {
      throw fail(`inCluster: cannot read the service account ${name}`, err);
    }
  };
  const token = read('token');
  let namespace = env.KUBERNETES_POD_NAMESPACE || namespaceClaim(token);
  if (!namespace) namespace = read('namespace');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    namespace,
    ca: Buffer.from(read('ca.crt')),
    insecureSkipTlsVerify: false,
    tokenFile: resolve(dir, 'token'),
  };
}
