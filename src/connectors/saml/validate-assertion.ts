/**
 * The SAML Web Browser SSO checks on a verified response (SAML Profiles §4.1.4.2–4.1.4.3, Core §2.3–2.5, §3.2):
 * status Success; Issuer; Destination; InResponseTo on the Response and on the bearer SubjectConfirmationData;
 * Recipient = our ACS URL; the confirmation and Conditions time windows (with `clockSkew`); our entity id in every
 * AudienceRestriction. Stricter than dex where the profile says MUST: a bearer confirmation needs `Recipient` and
 * `NotOnOrAfter`, and the Conditions need an AudienceRestriction.
 */

import type { VerifiedResponse } from './verify-response.js';
import { NS, XmlRejected, attr, child, children, textOf } from './xml.js';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface AssertionChecks {
  /** Our ACS URL (`redirectURI`): expected Destination and Recipient. */
  acsURL: string;
  /** Our entity id: the expected audience. */
  audience: string;
  /** The IdP's entity id (`ssoIssuer`); empty = not checked. */
  issuer: string;
  inResponseTo: string;
  now: Date;
  clockSkewMs: number;
}

export interface ValidAssertion {
  assertionId: string;
  nameId: string;
  /** When the assertion can no longer be delivered (skew included): how long to remember its id. */
  expiresAt: Date;
  /** Attribute name → values, in document order. */
  attributes: Map<string, string[]>;
}

function time(el: Element, name: string): number | undefined {
  const v = attr(el, name);
  if (v === undefined) return undefined;
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new XmlRejected(`${el.localName}@${name} is not a dateTime`);
  return t;
}

function checkWindow(el: Element, c: AssertionChecks): number | undefined {
  const now = c.now.getTime();
  const notBefore = time(el, 'NotBefore');
  const notOnOrAfter = time(el, 'NotOnOrAfter');
  if (notBefore !== undefined && now + c.clockSkewMs < notBefore) throw new XmlRejected(`${el.localName} is not valid yet`);
  if (notOnOrAfter !== undefined && now - c.clockSkewMs >= notOnOrAfter) throw new XmlRejected(`${el.localName} has expired`);
  return notOnOrAfter;
}

function checkResponse(r: VerifiedResponse, c: AssertionChecks): void {
  const status = child(r.response, NS.protocol, 'Status');
  const code = status ? child(status, NS.protocol, 'StatusCode') : undefined;
  const value = code ? attr(code, 'Value') : undefined;
  if (value !== SUCCESS) throw new XmlRejected(`status is ${JSON.stringify(value ?? 'missing')}, not Success`);
  const destination = attr(r.response, 'Destination');
  // A signed Response must name where it is going and who sent it (SAML Bindings §3.5.5.2, Profiles §4.1.4.2).
  if (r.responseSigned && destination === undefined) throw new XmlRejected('the signed Response has no Destination');
  if (r.responseSigned && !child(r.response, NS.assertion, 'Issuer')) throw new XmlRejected('the signed Response has no Issuer');
  if (destination !== undefined && destination !== c.acsURL) throw new XmlRejected(`Destination ${JSON.stringify(destination)} is not our ACS URL`);
  const irt = attr(r.response, 'InResponseTo');
  if (irt !== undefined && irt !== c.inResponseTo) throw new XmlRejected('Response InResponseTo does not match our request');
  const issuer = child(r.response, NS.assertion, 'Issuer');
  if (c.issuer && issuer && textOf(issuer) !== c.issuer) throw new XmlRejected(`Response issuer ${JSON.stringify(textOf(issuer))} is not ${c.issuer}`);
}

function checkSubject(subject: Element, c: AssertionChecks): number {
  const problems: string[] = [];
  for (const sc of children(subject, NS.assertion, 'SubjectConfirmation')) {
    try {
      if (attr(sc, 'Method') !== BEARER) throw new XmlRejected(`method ${attr(sc, 'Method')} is not bearer`);
      const data = child(sc, NS.assertion, 'SubjectConfirmationData');
      if (!data) throw new XmlRejected('no SubjectConfirmationData');
      if (attr(data, 'InResponseTo') !== c.inResponseTo) throw new XmlRejected('InResponseTo does not match our request');
      if (attr(data, 'Recipient') !== c.acsURL) throw new XmlRejected(`Recipient ${JSON.stringify(attr(data, 'Recipient') ?? '')} is not our ACS URL`);
      const end = checkWindow(data, c);
      if (end === undefined) throw new XmlRejected('SubjectConfirmationData has no NotOnOrAfter');
      return end;
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  throw new XmlRejected(`no valid bearer SubjectConfirmation: ${problems.join('; ') || 'none present'}`);
}

function checkConditions(assertion: Element, c: AssertionChecks): number | undefined {
  const conditions = child(assertion, NS.assertion, 'Conditions');
  if (!conditions) throw new XmlRejected('the Assertion has no Conditions');
  const end = checkWindow(conditions, c);
  const restrictions = children(conditions, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) throw new XmlRejected('the Assertion has no AudienceRestriction');
  for (const r of restrictions) {
    const audiences = children(r, NS.assertion, 'Audience').map(textOf);
    if (!audiences.includes(c.audience)) throw new XmlRejected(`audience ${JSON.stringify(audiences)} does not include ${c.audience}`);
  }
  return end;
}

function readAttributes(assertion: Element): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const a of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(a, 'Name') ?? '';
      const values = children(a, NS.assertion, 'AttributeValue').map(textOf);
      out.set(name, [...(out.get(name) ?? []), ...values]);
    }
  }
  return out;
}

/** Runs every check and extracts what the mapping needs. Throws `XmlRejected` naming the first failed rule. */
export function validateAssertion(r: VerifiedResponse, c: AssertionChecks): ValidAssertion {
  if (!c.inResponseTo) throw new XmlRejected('no request id to match InResponseTo against');
  checkResponse(r, c);
  const a = r.assertion;
  const issuer = child(a, NS.assertion, 'Issuer');
  if (!issuer) throw new XmlRejected('the Assertion has no Issuer');
  if (c.issuer && textOf(issuer) !== c.issuer) throw new XmlRejected(`Assertion issuer ${JSON.stringify(textOf(issuer))} is not ${c.issuer}`);
  const subject = child(a, NS.assertion, 'Subject');
  if (!subject) throw new XmlRejected('the Assertion has no Subject');
  const nameIdEl = child(subject, NS.assertion, 'NameID');
  if (!nameIdEl) throw new XmlRejected('the Subject has no NameID');
  const nameId = textOf(nameIdEl);
  if (!nameId) throw new XmlRejected('the NameID is empty');
  const confirmationEnd = checkSubject(subject, c);
  const conditionsEnd = checkConditions(a, c);
  const assertionId = attr(a, 'ID');
  if (!assertionId) throw new XmlRejected('the Assertion has no ID');
  return {
    assertionId,
    nameId,
    expiresAt: new Date(Math.min(confirmationEnd, conditionsEnd ?? confirmationEnd) + c.clockSkewMs),
    attributes: readAttributes(a),
  };
}
