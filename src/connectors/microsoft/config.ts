/**
 * `microsoft` connector config (dex v2.45.1 `connector/microsoft/microsoft.go`). Keys and defaults are dex's:
 *
 * ```yaml
 * type: microsoft
 * config:
 *   clientID: $MICROSOFT_APPLICATION_ID
 *   clientSecret: $MICROSOFT_CLIENT_SECRET      # or clientAssertion: /var/run/secrets/azure/token (a JWT file)
 *   redirectURI: https://dex.example.com/dex/callback
 *   tenant: organizations          # common (default) | organizations | consumers | <tenant id or domain>
 *   groups: [developers]           # required membership (tenant ids only)
 *   groupNameFormat: name          # name (default) | id
 *   onlySecurityGroups: false
 *   useGroupsAsWhitelist: false    # return only the listed groups
 *   emailToLowercase: false
 *   batchGroupLookups: false       # accepted; Ferry always looks names up 1,000 ids at a time
 *   apiURL: https://login.microsoftonline.com
 *   graphURL: https://graph.microsoft.com
 *   promptType: consent            # `prompt` on the authorize URL
 *   domainHint: example.com        # `domain_hint` on the authorize URL
 *   scopes: [user.read]            # default
 *   preferredUsernameField: email  # name | email | mailNickname | onPremisesSamAccountName (default: none)
 * ```
 */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

const trimSlash = (s: string) => s.replace(/\/+$/, '');

const schema = z
  .object({
    clientID: z.string().min(1),
    clientSecret: z.string().default(''),
    clientAssertion: z.string().default(''),
    redirectURI: z.string().min(1),
    tenant: z.string().default(''),
    onlySecurityGroups: z.boolean().default(false),
    groups: z.array(z.string()).default([]),
    groupNameFormat: z.enum(['', 'name', 'id']).default(''),
    useGroupsAsWhitelist: z.boolean().default(false),
    emailToLowercase: z.boolean().default(false),
    batchGroupLookups: z.boolean().default(false),
    apiURL: z.string().default(''),
    graphURL: z.string().default(''),
    promptType: z.string().default(''),
    domainHint: z.string().default(''),
    scopes: z.array(z.string()).default([]),
    preferredUsernameField: z.string().default(''),
  })
  .superRefine((c, ctx) => {
    if (!c.clientSecret && !c.clientAssertion) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'required (or clientAssertion)' });
    for (const key of ['apiURL', 'graphURL'] as const) {
      if (c[key] && !URL.canParse(c[key])) ctx.addIssue({ code: 'custom', path: [key], message: 'not a URL' });
    }
  });

export type MicrosoftConfig = z.output<typeof schema> & {
  tenant: string;
  groupNameFormat: 'name' | 'id';
};

export const PREFERRED_USERNAME_FIELDS = ['name', 'email', 'mailNickname', 'onPremisesSamAccountName'] as const;

export function parseMicrosoftConfig(raw: unknown, path: string, strict = false): MicrosoftConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  return {
    ...c,
    tenant: c.tenant || 'common',
    groupNameFormat: c.groupNameFormat || 'name',
    apiURL: trimSlash(c.apiURL || 'https://login.microsoftonline.com'),
    graphURL: trimSlash(c.graphURL || 'https://graph.microsoft.com'),
  };
}

/** Groups exist only in an organisation's tenant: not for `common`, `organizations` or `consumers`. */
export const isOrgTenant = (tenant: string) => !['common', 'organizations', 'consumers'].includes(tenant);
