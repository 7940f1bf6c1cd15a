/**
 * The `ldap` connector (dex `connector/ldap`): password login against an LDAP directory, with refresh.
 *
 * config.ts    dex's config block, normalised (ports, username attributes, user matchers)
 * factory.ts   the factory (registry entry)
 * connector.ts login and refresh
 * upstream.ts  ldapts sessions and TLS options
 * filters.ts   RFC 4515 escaping and the search filters
 * mapping.ts   entry → identity, connector data
 * groups.ts    group search, including nested groups
 */

export { ldap } from './factory.js';
export { LdapConnector } from './connector.js';
export { parseLdapConfig, type LdapConfig } from './config.js';
export { escapeFilterValue } from './filters.js';
