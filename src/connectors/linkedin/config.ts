/**
 * `linkedin` connector config (dex v2.45.1 `connector/linkedin/linkedin.go`):
 *
 * ```yaml
 * type: linkedin
 * config:
 *   clientID: $LINKEDIN_CLIENT_ID
 *   clientSecret: $LINKEDIN_CLIENT_SECRET
 *   redirectURI: https://dex.example.com/dex/callback   # must be <issuer>/callback
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const schema = z.object({
  clientID: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectURI: z.string().min(1),
});

export type LinkedinConfig = z.output<typeof schema>;

export const parseLinkedinConfig = (raw: unknown, path: string, strict = false): LinkedinConfig => parsePluginConfig(schema, raw, path, strict);
