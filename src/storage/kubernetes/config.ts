/**
 * `storage.config` of type `kubernetes` (dex v2.45.1 `storage/kubernetes/storage.go`): exactly one of `inCluster` (the pod's service account)
 * and `kubeConfigFile`; `crdHandling` is `ensure` (default: create missing CRDs at start) or `check` (fail when
 * one is missing, for operators who install the CRDs themselves and give Ferry no CRD permissions).
 *
 * ```yaml
 * storage:
 *   type: kubernetes
 *   config:
 *     inCluster: true
 *     crdHandling: check
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

export interface KubernetesConfig {
  inCluster: boolean;
  kubeConfigFile: string;
  crdHandling: 'ensure' | 'check';
}

const schema = z
  .object({
    inCluster: z.boolean().default(false),
    kubeConfigFile: z.string().default(''),
    crdHandling: z
      .union([z.literal(''), z.literal('ensure'), z.literal('check')], { error: 'must be "ensure" or "check"' })
      .default('')
      .transform((v) => (v === '' ? 'ensure' : v)),
  })
  .superRefine((c, ctx) => {
    if (c.inCluster && c.kubeConfigFile) ctx.addIssue({ code: 'custom', path: ['kubeConfigFile'], message: "cannot be set together with 'inCluster'" });
    if (!c.inCluster && !c.kubeConfigFile) ctx.addIssue({ code: 'custom', path: ['kubeConfigFile'], message: "required unless 'inCluster' is true" });
  });

/** Validates `storage.config`; throws `ConfigError` naming each bad key under `path`. */
export function parseKubernetesConfig(raw: unknown, path: string, strict = false): KubernetesConfig {
  return parsePluginConfig(schema, raw, path, strict);
}
