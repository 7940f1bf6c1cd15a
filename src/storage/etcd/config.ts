/**
 * `storage.config` of type `etcd`, with dex's keys (dex v2.45.1 `storage/etcd/config.go`):
 *
 * ```yaml
 * storage:
 *   type: etcd
 *   config:
 *     endpoints: [https://etcd-0:2379, https://etcd-1:2379]
 *     namespace: dex/              # key prefix; "" = the root of the keyspace
 *     username: dex                # etcd auth (optional)
 *     password: $ETCD_PASSWORD
 *     ssl:
 *       serverName: etcd.internal  # TLS name to check instead of the endpoint host
 *       caFile: /etc/dex/etcd/ca.crt
 *       certFile: /etc/dex/etcd/client.crt
 *       keyFile: /etc/dex/etcd/client.key
 * ```
 * TLS is used when any `ssl` key is set or an endpoint starts with `https://`.
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

export interface EtcdSsl {
  serverName: string;
  caFile: string;
  keyFile: string;
  certFile: string;
}

export interface EtcdConfig {
  endpoints: string[];
  namespace: string;
  username: string;
  password: string;
  ssl: EtcdSsl;
}

const endpoint = z
  .string()
  .min(1, 'an endpoint must not be empty')
  .refine((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^https?:\/\//i.test(s), 'an endpoint is host:port, http://host:port or https://host:port');

const schema = z
  .object({
    endpoints: z.array(endpoint, { error: 'a list of endpoints is required' }).min(1, 'at least one endpoint is required'),
    namespace: z.string().default(''),
    username: z.string().default(''),
    password: z.string().default(''),
    ssl: z
      .object({
        serverName: z.string().default(''),
        caFile: z.string().default(''),
        keyFile: z.string().default(''),
        certFile: z.string().default(''),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.ssl.keyFile && !c.ssl.certFile) ctx.addIssue({ code: 'custom', path: ['ssl', 'certFile'], message: 'required with ssl.keyFile' });
    if (c.ssl.certFile && !c.ssl.keyFile) ctx.addIssue({ code: 'custom', path: ['ssl', 'keyFile'], message: 'required with ssl.certFile' });
    if (c.password && !c.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'required with password' });
  });

/** Validates `storage.config`; throws `ConfigError` naming each bad key under `path`. */
export function parseEtcdConfig(raw: unknown, path: string, strict = false): EtcdConfig {
  return parsePluginConfig(schema, raw, path, strict);
}

/** True when the connection must use TLS. */
export function usesTls(c: EtcdConfig): boolean {
  return Boolean(c.ssl.caFile || c.ssl.certFile || c.ssl.keyFile || c.ssl.serverName) || c.endpoints.some((e) => /^https:\/\//i.test(e));
}
