/**
 * `github` connector config (dex v2.45.1 `connector/github/github.go`). Keys and defaults are dex's:
 *
 * ```yaml
 * type: github
 * config:
 *   clientID: $GITHUB_CLIENT_ID
 *   clientSecret: $GITHUB_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 *   orgs:                      # optional; login requires membership of one listed org (and team, if listed)
 *   - name: my-org
 *     teams: [red-team, blue-team]
 *   org: my-org                # legacy single org (team names without prefix); not with `orgs`
 *   hostName: git.example.com  # GitHub Enterprise; API at https://<hostName>/api/v3
 *   rootCA: /etc/dex/ghe.pem   # CA file for the Enterprise host (requires hostName)
 *   teamNameField: name        # name (default) | slug | both
 *   loadAllGroups: false       # with the groups scope and no orgs: every org and org:team
 *   useLoginAsID: false        # user id = login instead of the numeric id
 *   preferredEmailDomain: example.com   # "*" labels allowed (*.example.com); may not end with "*"
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';
import { readRootCAFile } from '../http/index.js';

const orgSchema = z.object({ name: z.string().min(1), teams: z.array(z.string()).default([]) });

const schema = z
  .object({
    clientID: z.string().min(1),
    clientSecret: z.string().min(1),
    redirectURI: z.string().min(1),
    org: z.string().default(''),
    orgs: z.array(orgSchema).default([]),
    hostName: z.string().default(''),
    rootCA: z.string().default(''),
    teamNameField: z.enum(['name', 'slug', 'both', '']).default(''),
    loadAllGroups: z.boolean().default(false),
    useLoginAsID: z.boolean().default(false),
    preferredEmailDomain: z.string().default(''),
  })
  .superRefine((c, ctx) => {
    if (c.org && c.orgs.length > 0) ctx.addIssue({ code: 'custom', path: ['org'], message: "cannot use both 'org' and 'orgs'" });
    if (c.hostName.includes('/')) ctx.addIssue({ code: 'custom', path: ['hostName'], message: 'a host name, not a URL or path' });
    if (c.rootCA && !c.hostName) ctx.addIssue({ code: 'custom', path: ['rootCA'], message: 'requires hostName' });
    if (c.preferredEmailDomain.endsWith('*')) {
      ctx.addIssue({ code: 'custom', path: ['preferredEmailDomain'], message: 'may not end with "*"' });
    }
  });

export type GithubConfig = z.output<typeof schema> & {
  /** PEM certificates read from `rootCA` at parse time. */
  caPEM: string[];
};

/** Parses and checks the config; reads the `rootCA` file so a bad one fails at startup with its key. */
export function parseGithubConfig(raw: unknown, path: string, strict = false): GithubConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  return { ...c, caPEM: c.rootCA ? readRootCAFile(c.rootCA, `${path}.rootCA`) : [] };
}
