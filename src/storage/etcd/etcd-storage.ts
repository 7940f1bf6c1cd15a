/**
 * Storage type `etcd`: dex's values at dex's keys in an etcd v3 cluster (etcd-format.ts, keys.ts), so a cluster dex
 * v2.45.1 wrote is read as it is and stays readable by dex. The `etcd3`
 * client (and its gRPC stack) is imported inside `open()`, so installs that never use etcd never load it.
 * Every call has a 5 s deadline (dex's `defaultStorageTimeout`); connecting gives up after 2 s (dex's dial timeout).
 */

import { readFile } from 'node:fs/promises';
import type { IOptions } from 'etcd3';
import { StorageError } from '../../lib/errors.js';
import { createDocumentStorage } from '../document/storage.js';
import type { Storage, StorageDeps, StorageFactory } from '../storage.js';
import { type EtcdConfig, parseEtcdConfig, usesTls } from './config.js';
import { createEtcdBackend } from './etcd-backend.js';
import { etcdFormat, identifyBy } from './etcd-format.js';

const CALL_TIMEOUT_MS = 5000;
const DIAL_TIMEOUT_MS = 2000;

async function readTlsFile(path: string, key: string): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path);
  } catch (err) {
    throw new StorageError(`etcd storage: cannot read ssl.${key} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

/** The `etcd3` client options for a config (TLS files are read here). */
export async function etcdClientOptions(config: EtcdConfig): Promise<IOptions> {
  const options: IOptions = {
    hosts: config.endpoints.map((e) => (/^https?:\/\//i.test(e) ? e : `${usesTls(config) ? 'https' : 'http'}://${e}`)),
    dialTimeout: DIAL_TIMEOUT_MS,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + CALL_TIMEOUT_MS }),
  };
  if (config.username) options.auth = { username: config.username, password: config.password };
  if (usesTls(config)) {
    const [ca, cert, key] = await Promise.all([
      readTlsFile(config.ssl.caFile, 'caFile'),
      readTlsFile(config.ssl.certFile, 'certFile'),
      readTlsFile(config.ssl.keyFile, 'keyFile'),
    ]);
    // grpc-js uses the system roots when no CA is given.
    options.credentials = { rootCertificate: ca as Buffer, privateKey: key, certChain: cert };
    if (config.ssl.serverName) {
      options.grpcOptions = { 'grpc.ssl_target_name_override': config.ssl.serverName, 'grpc.default_authority': config.ssl.serverName };
    }
  }
  return options;
}

/** Connects to etcd and returns the storage; fails with `StorageError` when etcd does not answer. */
export async function openEtcdStorage(config: EtcdConfig, deps?: Partial<StorageDeps>): Promise<Storage> {
  const mod = await import('etcd3');
  const Etcd3 = mod.Etcd3 ?? (mod as unknown as { default: typeof mod }).default.Etcd3;
  const client = new Etcd3(await etcdClientOptions(config));
  const ns = config.namespace ? client.namespace(config.namespace) : client;
  const backend = createEtcdBackend({ ns, close: async () => client.close(), identify: identifyBy(etcdFormat) });
  try {
    await backend.ping();
  } catch (err) {
    await backend.close();
    throw err;
  }
  deps?.logger?.info({ endpoints: config.endpoints, namespace: config.namespace }, 'etcd storage: connected');
  return createDocumentStorage(backend, etcdFormat);
}

export const etcdStorage: StorageFactory<EtcdConfig> = {
  type: 'etcd',
  parseConfig: (raw, path, strict) => parseEtcdConfig(raw, path, strict),
  open: (config, deps) => openEtcdStorage(config, deps),
};
