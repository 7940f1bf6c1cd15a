/**
 * The `saml` connector: SAML 2.0 Web Browser SSO, SP-initiated, HTTP-POST binding both ways (dex v2.45.1 `connector/saml/saml.go`).
 *
 * postData → the server auto-POSTs our AuthnRequest (ID = auth request id) to the IdP → the IdP posts a
 * SAMLResponse to `<issuer>/callback` → handlePost: decode → verify (`verify-response.ts`) → SSO profile checks
 * (`validate-assertion.ts`) → identity (`mapping.ts`) → replay check (`claimOnce`: the assertion ID, kept until the
 * assertion expires; stored and shared by every replica in a server). Refresh replays the identity cached at login
 * (dex HEAD): SAML has no way to ask the IdP again without the browser.
 *
 * Every failure is a `ConnectorError` whose message (for logs only) names the rule that failed; the IdP's data
 * never reaches the client.
 */

import { ConnectorError, UserNotInRequiredGroupsError, UserRefusedError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Identity, RefreshConnector, SAMLConnector, Scopes } from '../types.js';
import { buildAuthnRequest } from './authn-request.js';
import type { SamlConfig } from './config.js';
import { decodeCachedIdentity, mapIdentity } from './mapping.js';
import { ReplayCache } from './replay-cache.js';
import { validateAssertion } from './validate-assertion.js';
import { verifyResponse } from './verify-response.js';

/** Largest decoded response accepted (the server already caps the base64 form at 512 KiB). */
const MAX_RESPONSE_BYTES = 384 * 1024;

export interface SamlConnectorOptions {
  id: string;
  config: SamlConfig;
  /** PEM certificates to verify with, or `null` when `insecureSkipSignatureValidation` is on. */
  certs: string[] | null;
  logger: Logger;
  now: () => Date;
  /** The stored replay check shared by every replica (`ConnectorDeps.claimOnce`); default: this process only. */
  claimOnce?: (key: string, until: Date) => Promise<boolean>;
}

function decodeResponse(samlResponse: string): string {
  const compact = samlResponse.replace(/[\r\n\t ]/g, '');
  if (!compact || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('SAMLResponse is not base64');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > MAX_RESPONSE_BYTES) throw new Error('SAMLResponse is too large');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  return text;
}

export class SamlConnector implements SAMLConnector, RefreshConnector {
  private readonly o: SamlConnectorOptions;
  private readonly claimOnce: (key: string, until: Date) => Promise<boolean>;

  constructor(options: SamlConnectorOptions) {
    this.o = options;
    const local = new ReplayCache();
    this.claimOnce = options.claimOnce ?? (async (key, until) => local.consume(key, until, options.now()));
  }

  async postData(_scopes: Scopes, requestId: string): Promise<{ ssoURL: string; samlRequest: string }> {
    const c = this.o.config;
    const samlRequest = buildAuthnRequest({
      id: requestId,
      issueInstant: this.o.now(),
      ssoURL: c.ssoURL,
      acsURL: c.redirectURI,
      entityIssuer: c.entityIssuer,
      nameIDPolicyFormat: c.nameIDPolicyFormat,
    });
    return { ssoURL: c.ssoURL, samlRequest };
  }

  async handlePost(scopes: Scopes, samlResponse: string, inResponseTo: string): Promise<Identity> {
    const { identity, assertionId, expiresAt } = this.verify(scopes, samlResponse, inResponseTo);
    // Outside the try: a storage failure here is Ferry's trouble (5xx), not the request's.
    if (!(await this.claimOnce(`assertion:${assertionId}`, expiresAt))) {
      throw new UserRefusedError(this.o.id, 'invalid_response', `saml: rejected response: assertion ${assertionId} was already used`);
    }
    return identity;
  }

  private verify(scopes: Scopes, samlResponse: string, inResponseTo: string): { identity: Identity; assertionId: string; expiresAt: Date } {
    const c = this.o.config;
    try {
      const xml = decodeResponse(samlResponse);
      const verified = verifyResponse(xml, this.o.certs, { allowSHA1: c.insecureAllowSHA1 });
      const now = this.o.now();
      const valid = validateAssertion(verified, {
        acsURL: c.redirectURI,
        audience: c.entityIssuer || c.redirectURI,
        issuer: c.ssoIssuer,
        inResponseTo,
        now,
        clockSkewMs: c.clockSkewMs,
      });
      const identity = mapIdentity(this.o.id, valid, c, scopes);
      this.o.logger.debug({ user_id: identity.userId, attributes: [...valid.attributes.keys()] }, 'saml: verified response');
      return { identity, assertionId: valid.assertionId, expiresAt: valid.expiresAt };
    } catch (err) {
      if (err instanceof UserNotInRequiredGroupsError) throw err;
      // Everything here checks the document the browser posted (no upstream call): a failure is the request's.
      throw new UserRefusedError(this.o.id, 'invalid_response', `saml: rejected response: ${(err as Error).message}`, { cause: err });
    }
  }

  async refresh(scopes: Scopes, identity: Identity): Promise<Identity> {
    try {
      const cached = decodeCachedIdentity(identity.connectorData);
      return {
        ...identity,
        userId: cached.userId,
        username: cached.username,
        preferredUsername: cached.preferredUsername,
        email: cached.email,
        emailVerified: cached.emailVerified,
        groups: scopes.groups ? (cached.groups ?? []) : [],
      };
    } catch (err) {
      throw new ConnectorError(this.o.id, `saml: refresh: ${(err as Error).message}`, { cause: err });
    }
  }
}
