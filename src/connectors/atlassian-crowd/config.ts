/**
 * `atlassian-crowd` connector config (dex v2.45.1 `connector/atlassiancrowd/atlassiancrowd.go`). Keys are dex's:
 *
 * ```yaml
 * type: atlassian-crowd
 * config:
 *   baseURL: https://crowd.example.com/crowd   # Crowd's context root; REST at <baseURL>/rest/usermanagement/1
 *   clientID: dex                              # the Crowd application name
 *   clientSecret: $CROWD_APP_PASSWORD          # the application password
 *   groups: [developers]                       # required membership; also filters the groups returned
 *   preferredUsernameField: name               # key | name | email (default: none)
 *   usernamePrompt: Login                      # label of the username field (default "Username")
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  baseURL: z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'not an http(s) URL'),
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  groups: z.array(z.string()).default([]),
  preferredUsernameField: z.string().default(''),
  usernamePrompt: z.string().default(''),
});

export type CrowdConfig = z.output<typeof schema>;

export const CROWD_PREFERRED_USERNAME_FIELDS = ['key', 'name', 'email'] as const;

export function parseCrowdConfig(raw: unknown, path: string, strict = false): CrowdConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  return { ...c, baseURL: c.baseURL.replace(/\/+$/, '') };
}
