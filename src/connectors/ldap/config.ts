/**
 * The `ldap` connector's config block (dex v2.45.1 `connector/ldap/ldap.go` `Config`), read with dex's key names and
 * normalised once: the host gets its default port, `userSearch.username` becomes a list, scopes are checked and the
 * deprecated `groupSearch.userAttr/groupAttr/recursionGroupAttr` become one user matcher.
 *
 * Where dex accepts a config that can never log anyone in, Ferry refuses it at startup with the key named:
 * `userSearch.idAttr` is required, `emailAttr` is required unless `emailSuffix` is set, `emailSuffix` needs
 * `nameAttr` (dex builds the email from the name), and a `groupSearch.baseDN` needs `nameAttr` and a matcher.
 */

import { z } from 'zod';
import { base64Bytes, parsePluginConfig } from '../../lib/plugin-config.js';

/** How a group names its members: `(<groupAttr>=<value of the user's userAttr>)`. */
export interface UserMatcher {
  userAttr: string;
  groupAttr: string;
  /** When set, parent groups are found by searching `(<recursionGroupAttr>=<group DN>)`, breadth first. */
  recursionGroupAttr: string;
}

export type SearchScope = 'sub' | 'one';

/** The normalised config the connector runs with. */
export interface LdapConfig {
  /** `host:port` (IPv6 literals in brackets), with 389 (insecureNoSSL) or 636 when the config had no port. */
  host: string;
  /** The bare host name or IP, for TLS name checks. */
  hostname: string;
  insecureNoSSL: boolean;
  insecureSkipVerify: boolean;
  startTLS: boolean;
  rootCA: string;
  rootCAData: Uint8Array | null;
  clientCert: string;
  clientKey: string;
  bindDN: string;
  bindPW: string;
  usernamePrompt: string;
  userSearch: {
    baseDN: string;
    filter: string;
    username: string[];
    scope: SearchScope;
    idAttr: string;
    emailAttr: string;
    nameAttr: string;
    preferredUsernameAttr: string;
    emailSuffix: string;
  };
  groupSearch: {
    baseDN: string;
    filter: string;
    scope: SearchScope;
    userMatchers: UserMatcher[];
    nameAttr: string;
  };
  /** The config used the deprecated `groupSearch.userAttr/groupAttr` form (logged as a warning at open). */
  deprecatedGroupAttrs: boolean;
  /** `kerberos.enabled` was set: SPNEGO is not supported, so it is logged and ignored. */
  kerberosRequested: boolean;
}

const str = z.string().default('');
const scope = z
  .string()
  .default('')
  .refine((s) => s === '' || s === 'sub' || s === 'one', { message: 'expected "sub" or "one"' })
  .transform((s): SearchScope => (s === 'one' ? 'one' : 'sub'));

const matcher = z.object({ userAttr: str, groupAttr: str, recursionGroupAttr: str });

const schema = z.object({
  host: z.string().min(1, 'required'),
  insecureNoSSL: z.boolean().default(false),
  insecureSkipVerify: z.boolean().default(false),
  startTLS: z.boolean().default(false),
  rootCA: str,
  rootCAData: base64Bytes.optional(),
  clientCert: str,
  clientKey: str,
  bindDN: str,
  bindPW: str,
  usernamePrompt: str,
  userSearch: z.object({
    baseDN: z.string().min(1, 'required'),
    filter: str,
    username: z.union([z.string(), z.array(z.string().min(1))]),
    scope,
    idAttr: str,
    emailAttr: str,
    nameAttr: str,
    preferredUsernameAttr: str,
    emailSuffix: str,
  }),
  groupSearch: z
    .object({
      baseDN: str,
      filter: str,
      scope,
      userAttr: str,
      groupAttr: str,
      recursionGroupAttr: str,
      userMatchers: z.array(matcher).default([]),
      nameAttr: str,
    })
    .default({ baseDN: '', filter: '', scope: 'sub', userAttr: '', groupAttr: '', recursionGroupAttr: '', userMatchers: [], nameAttr: '' }),
  kerberos: z.object({ enabled: z.boolean().default(false) }).optional(),
});

type Raw = z.output<typeof schema>;

/** Splits `host[:port]` like Go's `net.SplitHostPort`, adding dex's default port when there is none. */
export function splitHost(host: string, insecureNoSSL: boolean): { host: string; hostname: string } {
  const port = insecureNoSSL ? '389' : '636';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) return { host: `[${bracketed[1]}]:${bracketed[2] ?? port}`, hostname: bracketed[1] as string };
  const colons = host.split(':').length - 1;
  if (colons === 1) {
    const [name = '', p = ''] = host.split(':');
    if (/^\d+$/.test(p)) return { host, hostname: name };
  }
  if (colons > 1) return { host: `[${host}]:${port}`, hostname: host }; // a bare IPv6 literal
  return { host: `${host}:${port}`, hostname: host };
}

/** dex's rule: `userMatchers` wins when its first entry names a `userAttr`; else the deprecated single matcher. */
function resolveMatchers(g: Raw['groupSearch']): { matchers: UserMatcher[]; deprecated: boolean } {
  if (g.userMatchers.length > 0 && g.userMatchers[0]?.userAttr) return { matchers: g.userMatchers, deprecated: false };
  const deprecated = g.userAttr !== '' || g.groupAttr !== '';
  return { matchers: [{ userAttr: g.userAttr, groupAttr: g.groupAttr, recursionGroupAttr: g.recursionGroupAttr }], deprecated };
}

function crossChecks(c: Raw, matchers: UserMatcher[], ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const us = c.userSearch;
  const usernames = typeof us.username === 'string' ? [us.username].filter(Boolean) : us.username;
  if (usernames.length === 0) issue(['userSearch', 'username'], 'required');
  if (!us.idAttr) issue(['userSearch', 'idAttr'], 'required (dex applies no default)');
  if (!us.emailSuffix && !us.emailAttr) issue(['userSearch', 'emailAttr'], 'required unless emailSuffix is set (dex applies no default)');
  if (us.emailSuffix && !us.nameAttr) issue(['userSearch', 'nameAttr'], 'required when emailSuffix is set (the email is <name>@<emailSuffix>)');
  if (c.groupSearch.baseDN) {
    if (!c.groupSearch.nameAttr) issue(['groupSearch', 'nameAttr'], 'required when groupSearch.baseDN is set');
    matchers.forEach((m, i) => {
      const at = c.groupSearch.userMatchers.length > 0 && c.groupSearch.userMatchers[0]?.userAttr ? ['groupSearch', 'userMatchers', i] : ['groupSearch'];
      if (!m.userAttr) issue([...at, 'userAttr'], 'required when groupSearch.baseDN is set');
      if (!m.groupAttr) issue([...at, 'groupAttr'], 'required when groupSearch.baseDN is set');
    });
  }
  if (c.bindDN && !c.bindPW) issue(['bindPW'], 'required when bindDN is set (an empty password would bind anonymously)');
  if ((c.clientCert === '') !== (c.clientKey === '')) issue([c.clientCert ? 'clientKey' : 'clientCert'], 'clientCert and clientKey go together');
}

const normalised = schema.transform((c, ctx): LdapConfig => {
  const { matchers, deprecated } = resolveMatchers(c.groupSearch);
  crossChecks(c, matchers, ctx);
  const us = c.userSearch;
  return {
    ...splitHost(c.host, c.insecureNoSSL),
    insecureNoSSL: c.insecureNoSSL,
    insecureSkipVerify: c.insecureSkipVerify,
    startTLS: c.startTLS,
    rootCA: c.rootCA,
    rootCAData: c.rootCAData && c.rootCAData.length > 0 ? c.rootCAData : null,
    clientCert: c.clientCert,
    clientKey: c.clientKey,
    bindDN: c.bindDN,
    bindPW: c.bindPW,
    usernamePrompt: c.usernamePrompt,
    userSearch: { ...us, username: typeof us.username === 'string' ? [us.username].filter(Boolean) : us.username },
    groupSearch: { baseDN: c.groupSearch.baseDN, filter: c.groupSearch.filter, scope: c.groupSearch.scope, userMatchers: matchers, nameAttr: c.groupSearch.nameAttr },
    deprecatedGroupAttrs: deprecated,
    kerberosRequested: c.kerberos?.enabled === true,
  };
});

/** Reads `connectors[].config` of an `ldap` connector; throws `ConfigError` naming each bad key under `path`. */
export function parseLdapConfig(raw: unknown, path: string, strict = false): LdapConfig {
  return parsePluginConfig(normalised, raw, path, strict);
}
