/**
 * Connectors: how Ferry gets an identity from an upstream (dex v2.45.1 `connector/`). One folder per connector
 * type, split along the same lines: `config.ts` (dex's keys and defaults, validated with errors naming the key),
 * `connector.ts` (the capability methods), where needed `upstream.ts` (the HTTP or LDAP calls) and `mapping.ts`
 * (upstream data → `Identity`), `factory.ts` with its `ConnectorFactory`, exported by `index.ts`. One naming for
 * factories: the constant is the dex type name in camelCase (`github`, `bitbucketCloud`, `atlassianCrowd`), and a
 * factory that tests point at an API simulation is built by `create<Type>Factory(endpoints)`. (`mock/` holds two
 * test-only connectors, each with its factory next to it.) The factories are registered in one place,
 * `src/config/registry.ts`, under dex's type names.
 *
 *   types.ts          the contract: `Identity`, `Scopes`, the capability interfaces (callback, password, SAML,
 *                     refresh, token identity) and `ConnectorFactory`; capabilities.ts has their runtime guards
 *   http/             the one HTTP client of every connector that calls an HTTP upstream: deadline, private CAs,
 *                     size cap, JSON, errors without upstream text; also as a `fetch` for openid-client and jose
 *   oauth2-client/    the authorization-code client, paged JSON API calls and token storage shared by the SaaS
 *                     connectors (github, gitlab, gitea, bitbucket-cloud, linkedin, google, microsoft, openshift)
 *   oidc/, oauth/     generic upstream OpenID Connect (openid-client) and OAuth 2.0 + userinfo
 *   ldap/, saml/      LDAP (ldapts) and SAML 2.0 (xml-crypto on @xmldom/xmldom, strict checks of Ferry's own)
 *   keystone/, atlassian-crowd/, authproxy/, mock/   password and header connectors; mock ones for tests
 *   groups.ts, upstream-urls.ts, upstream-refusal.ts   group filtering, refusing plain-http upstreams, and
 *                     turning an upstream's refusal into an error that carries no upstream text to the client
 *   contract/         the behavioural suite every connector runs against its real peer or API simulation
 *
 * Connectors never import `src/server` (a lint rule): the server drives them through the contract, and they get
 * a logger, clock and issuer through `ConnectorDeps`.
 */
export type { CallbackConnector, Connector, ConnectorDeps, ConnectorFactory, Identity, PasswordConnector, RefreshConnector, SAMLConnector, Scopes, TokenIdentityConnector } from './types.js';
export { isCallbackConnector, isPasswordConnector, isRefreshConnector, isSAMLConnector, isTokenIdentityConnector } from './capabilities.js';
