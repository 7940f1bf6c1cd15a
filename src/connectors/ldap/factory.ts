/**
 * The `ldap` connector factory, registered in `src/config/registry.ts` under dex's type name. `open` reads the
 * TLS files once (a bad `rootCA`, `rootCAData` or client certificate fails the open with a `ConnectorError`) and
 * logs what Ferry ignores (SPNEGO) or what is deprecated (`groupSearch.userAttr/groupAttr`).
 */

import type { ConnectorFactory } from '../types.js';
import { parseLdapConfig, type LdapConfig } from './config.js';
import { LdapConnector } from './connector.js';
import { loadTlsOptions } from './upstream.js';

export const ldap: ConnectorFactory<LdapConfig> = {
  type: 'ldap',
  parseConfig: parseLdapConfig,
  async open(id, config, deps) {
    const tls = await loadTlsOptions(id, config);
    if (config.deprecatedGroupAttrs) {
      deps.logger.warn({ deprecated: true }, 'ldap: use "groupSearch.userMatchers" instead of "groupSearch.userAttr/groupAttr"');
    }
    if (config.kerberosRequested) deps.logger.warn('ldap: kerberos (SPNEGO) is not supported by Ferry; password login only');
    if (config.insecureNoSSL) deps.logger.warn('ldap: insecureNoSSL is set; passwords cross the network in clear text');
    return new LdapConnector(id, config, tls, deps.logger);
  },
};
