/**
 * The connector contract suite: one behavioural suite that every connector runs against its
 * real peer (OpenLDAP, oidc-provider, a SAML IdP, an API simulation for SaaS providers). Each connector's test
 * file supplies a `ContractSubject`: how to open the connector, how to log a user in with it (a password call, a
 * scripted upstream login for callback connectors, an IdP response for SAML), and how to change the upstream.
 *
 * @example
 * runConnectorContract({
 *   name: 'ldap (StartTLS)',
 *   open: () => ldap.open('ldap', ldap.parseConfig(cfg, 'c'), deps),
 *   openUnreachable: () => ldap.open('ldap', ldap.parseConfig({ ...cfg, host: '127.0.0.1:1' }, 'c'), deps),
 *   login: (conn, scopes, user) => passwordLogin(conn, scopes, user),
 *   users: { primary: { username: 'jane', password: 'foo', email: 'jane@example.org', emailVerified: true, groups: ['admins'] } },
 *   refresh: true,
 * });
 */

export { contractChecks, runConnectorContract, type ContractCheck } from './run-connector-contract.js';
export type { ContractSubject, ContractUser } from './subject.js';
export { passwordLogin } from './password-login.js';
