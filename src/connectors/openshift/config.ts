/**
 * `openshift` connector config (dex v2.45.1 `connector/openshift/openshift.go`). Keys are dex's:
 *
 * ```yaml
 * type: openshift
 * config:
 *   issuer: https://api.cluster.example.com:6443   # the API server; OAuth endpoints are discovered from it
 *   clientID: $OPENSHIFT_OAUTH_CLIENT_ID             # an OAuthClient, or system:serviceaccount:<ns>:<sa>
 *   clientSecret: $OPENSHIFT_OAUTH_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback
 *   groups: [cluster-admins]                         # required membership
 *   rootCA: /etc/ssl/openshift-ca.pem                # CA file for the API server and OAuth server
 *   insecureCA: false                                # skip TLS verification (testing only)
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { readRootCAFile } from '../http/index.js';

const schema = z.object({
  issuer: z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'not an http(s) URL'),
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
  groups: z.array(z.string()).default([]),
  insecureCA: z.boolean().default(false),
  rootCA: z.string().default(''),
});

export type OpenshiftConfig = z.output<typeof schema> & { caPEM: string[] };

export function parseOpenshiftConfig(raw: unknown, path: string, strict = false): OpenshiftConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  return { ...c, issuer: c.issuer.replace(/\/+$/, ''), caPEM: c.rootCA ? readRootCAFile(c.rootCA, `${path}.rootCA`) : [] };
}
