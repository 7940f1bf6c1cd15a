/** The `kubernetes` storage backend (re-exports only). */
export { kubernetesStorage, openKubernetesStorage, type KubernetesOpenOptions } from './kube-storage.js';
export { type KubernetesConfig, parseKubernetesConfig } from './config.js';
export { createKubeBackend } from './kube-backend.js';
