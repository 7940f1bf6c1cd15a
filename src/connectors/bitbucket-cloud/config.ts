/**
 * `bitbucket-cloud` connector config (dex v2.45.1 `connector/bitbucketcloud/bitbucketcloud.go`). Keys are dex's:
 *
 * ```yaml
 * type: bitbucket-cloud
 * config:
 *   clientID: $BITBUCKET_CLIENT_ID
 *   clientSecret: $BITBUCKET_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 *   teams: [my-workspace]           # optional; login requires one of these workspaces; groups are filtered to them
 *   getWorkspacePermissions: false  # also emit <workspace>:<permission> (owner, collaborator, member)
 *   includeTeamGroups: false        # deprecated, ignored (Bitbucket removed the 1.0 API it used); warns when set
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
  teams: z.array(z.string()).default([]),
  includeTeamGroups: z.boolean().default(false),
  getWorkspacePermissions: z.boolean().default(false),
});

export type BitbucketCloudConfig = z.output<typeof schema>;

export const parseBitbucketCloudConfig = (raw: unknown, path: string, strict = false): BitbucketCloudConfig => parsePluginConfig(schema, raw, path, strict);
