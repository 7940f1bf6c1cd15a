/**
 * `gitea` connector config (dex v2.45.1 `connector/gitea/gitea.go`). Keys and defaults are dex's:
 *
 * ```yaml
 * type: gitea
 * config:
 *   baseURL: https://gitea.com            # default; a self-hosted instance's root URL
 *   clientID: $GITEA_CLIENT_ID
 *   clientSecret: $GITEA_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 *   orgs:                                 # optional; login requires one listed org (and team, if listed)
 *   - name: my-org
 *     teams: [developers]
 *   loadAllGroups: false                  # without orgs: every org and org:team of the user
 *   useLoginAsID: false                   # user id = login instead of the numeric id
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  baseURL: z.url({ protocol: /^https?$/ }).default('https://gitea.com'),
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
  orgs: z.array(z.object({ name: z.string().min(1), teams: z.array(z.string()).default([]) })).default([]),
  loadAllGroups: z.boolean().default(false),
  useLoginAsID: z.boolean().default(false),
});

export type GiteaConfig = z.output<typeof schema>;

export function parseGiteaConfig(raw: unknown, path: string, strict = false): GiteaConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  return { ...c, baseURL: c.baseURL.replace(/\/+$/, '') };
}
