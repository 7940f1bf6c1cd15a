/** The `etcd` storage backend (re-exports only). */
export { etcdStorage, openEtcdStorage } from './etcd-storage.js';
export { type EtcdConfig, parseEtcdConfig } from './config.js';
export { createEtcdBackend } from './etcd-backend.js';
