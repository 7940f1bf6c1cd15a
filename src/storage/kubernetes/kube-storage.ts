/**
 * Storage type `kubernetes`: dex's custom objects in dex's CRDs (kube-format.ts), so a namespace dex v2.45.1 wrote
 * is read as it is and stays readable by dex. Objects live in the namespace of the kubeconfig context (default
 * `default`) or of the pod's service account. No client library: the few calls used (CRD get/create, object
 * get/create/replace/delete, paged list) are plain HTTPS (api-client.ts).
 */

import { StorageError } from '../../lib/errors.js';
import { DOCUMENT_KINDS } from '../document/backend.js';
import { createDocumentStorage } from '../document/storage.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage.js';
import { type ClusterAccess, inClusterAccess, kubeConfigAccess } from './access.js';
import { createKubeClient } from './api-client.js';
import { type KubernetesConfig, parseKubernetesConfig } from './config.js';
import { handleCrds } from './crds.js';
import { identifyBy } from '../etcd/etcd-format.js';
import { createKubeBackend } from './kube-backend.js';
import { kubeFormat } from './kube-format.js';
import { allResources } from './resources.js';

export interface KubernetesOpenOptions {
  /** Use this namespace instead of the context's (tests give each storage its own). */
  namespace?: string;
  /** In-cluster inputs (tests point these at a fake service-account directory). */
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
}

/** Resolves the cluster access for a config (kubeconfig or in-cluster). */
export function clusterAccess(config: KubernetesConfig, opts: KubernetesOpenOptions = {}): ClusterAccess {
  const access = config.inCluster ? inClusterAccess(opts.env, opts.serviceAccountDir) : kubeConfigAccess(config.kubeConfigFile);
  return opts.namespace ? { ...access, namespace: opts.namespace } : access;
}

/** Connects, handles the CRDs as `crdHandling` says, and returns the storage. */
export async function openKubernetesStorage(config: KubernetesConfig, deps?: Partial<StorageDeps>, opts: KubernetesOpenOptions = {}): Promise<Storage> {
  const access = clusterAccess(config, opts);
  const client = createKubeClient(access);
  const backend = createKubeBackend({ client, namespace: access.namespace, identify: identifyBy(kubeFormat) });
  try {
    const { created } = await handleCrds(client, allResources(DOCUMENT_KINDS), config.crdHandling);
    if (created.length > 0) deps?.logger?.info({ created }, 'kubernetes storage: custom resource definitions created');
    await backend.ping();
  } catch (err) {
    await backend.close();
    if (err instanceof StorageError) throw err;
    throw new StorageError('kubernetes storage: open failed', { cause: err });
  }
  deps?.logger?.info({ server: access.server, namespace: access.namespace }, 'kubernetes storage: connected');
  return createDocumentStorage(backend, kubeFormat);
}

export const kubernetesStorage: StorageFactory<KubernetesConfig> = {
  type: 'kubernetes',
  parseConfig: (raw, path, strict) => parseKubernetesConfig(raw, path, strict),
  open: (config, deps) => openKubernetesStorage(config, deps),
};
