/**
 * The AuthnRequest sent with the HTTP-POST binding (SAML Core §3.4.1, Bindings §3.5.4): ID = Ferry's auth request
 * id, so the IdP's `InResponseTo` ties its answer to this login; ACS URL and POST protocol binding; NameIDPolicy with
 * AllowCreate and the configured format; our Issuer when `entityIssuer` is set. Elements are in schema order
 * (Issuer before NameIDPolicy), which schema-validating IdPs require. Unsigned, as dex sends it.
 */

import { escapeHtml as esc } from '../../lib/html-escape.js';

export interface AuthnRequestParams {
  id: string;
  issueInstant: Date;
  ssoURL: string;
  acsURL: string;
  entityIssuer: string;
  nameIDPolicyFormat: string;
}

/** The AuthnRequest XML, base64-encoded as the POST binding sends it (no deflate). */
export function buildAuthnRequest(p: AuthnRequestParams): string {
  const instant = p.issueInstant.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const issuer = p.entityIssuer ? `<saml:Issuer>${esc(p.entityIssuer)}</saml:Issuer>` : '';
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"' +
    ` ID="${esc(p.id)}" Version="2.0" IssueInstant="${instant}" Destination="${esc(p.ssoURL)}"` +
    ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="${esc(p.acsURL)}">` +
    issuer +
    `<samlp:NameIDPolicy Format="${esc(p.nameIDPolicyFormat)}" AllowCreate="true"/>` +
    '</samlp:AuthnRequest>';
  return Buffer.from(xml, 'utf8').toString('base64');
}
