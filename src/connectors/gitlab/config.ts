/**
 * `gitlab` connector config (dex v2.45.1 `connector/gitlab/gitlab.go`). Keys and defaults are dex's:
 *
 * ```yaml
 * type: gitlab
 * config:
 *   baseURL: https://gitlab.com          # default; a self-hosted instance's root URL
 *   clientID: $GITLAB_APPLICATION_ID
 *   clientSecret: $GITLAB_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 *   groups: [my-group]                   # optional; login requires one of them, and groups are filtered to them
 *   useLoginAsID: false                  # user id = username instead of the numeric id
 *   getGroupsPermission: false           # also emit <group>:owner|maintainer|developer (...)
 *   inheritedGroups: false               # groups from /api/v4/groups (full paths, inherited), needs read_api
 *   rootCAData: <base64 of PEM>          # CA bundle for a self-hosted instance
 * ```
 */

import { z } from 'zod';
import { base64Bytes, parsePluginConfig } from '../../lib/plugin-config.js';
import { pemCertificates } from '../http/index.js';

const schema = z.object({
  baseURL: z.url({ protocol: /^https?$/ }).default('https://gitlab.com'),
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
  groups: z.array(z.string()).default([]),
  useLoginAsID: z.boolean().default(false),
  getGroupsPermission: z.boolean().default(false),
  inheritedGroups: z.boolean().default(false),
  rootCAData: base64Bytes.optional(),
});

export type GitlabConfig = Omit<z.output<typeof schema>, 'rootCAData'> & {
  /** PEM certificates decoded from `rootCAData`. */
  caPEM: string[];
};

export function parseGitlabConfig(raw: unknown, path: string, strict = false): GitlabConfig {
  const { rootCAData, ...c } = parsePluginConfig(schema, raw, path, strict);
  const caPEM = rootCAData?.length ? pemCertificates(Buffer.from(rootCAData).toString('utf8'), `${path}.rootCAData`) : [];
  return { ...c, baseURL: c.baseURL.replace(/\/+$/, ''), caPEM };
}
