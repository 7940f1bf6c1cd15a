/**
 * From an untrusted SAMLResponse to verified elements (SAML Core §5, Profiles §4.1.4.3), in this order:
 * 1. strict parse: one root, no DOCTYPE/entities, no parser warnings (`xml.ts`);
 * 2. document rules: the root is a `samlp:Response`; no comments or processing instructions anywhere (a comment
 *    inside a signed NameID changes what a text reader sees but not the digest); every ID unique; exactly one
 *    Assertion, a direct child of the Response; no EncryptedAssertion; every ds:Signature a direct child of the
 *    Response or of the Assertion;
 * 3. every signature present must verify against the configured certificates (`signature.ts`), and at least one
 *    must be present;
 * 4. the data is then read from a re-parse of the exact canonical bytes the signature covers, never from the
 *    original tree, so anything moved, injected or wrapped around the signed element is simply not seen.
 * An unsigned Response's own attributes (Status, Destination, ...) come from the original tree and are marked so.
 */

import { type SignaturePolicy, verifySignature } from './signature.js';
import { NODE, NS, XmlRejected, attr, child, isElement, parseStrict, walk } from './xml.js';

export interface VerifiedResponse {
  /** The Response element: from the signed bytes when `responseSigned`, else from the untrusted document. */
  response: Element;
  responseSigned: boolean;
  /** The Assertion, always from signed bytes unless signature checks are disabled. */
  assertion: Element;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ID_ATTRS = new Set(['ID', 'Id', 'id']);

function checkDocument(doc: Document): { root: Element; assertion: Element; signatures: Element[] } {
  const root: Element | null = doc.documentElement;
  if (!isElement(root, NS.protocol, 'Response')) throw new XmlRejected(`root element is ${doc.documentElement?.nodeName}, not samlp:Response`);
  const ids = new Set<string>();
  const assertions: Element[] = [];
  const signatures: Element[] = [];
  for (const n of walk(root)) {
    if (n.nodeType === NODE.comment) throw new XmlRejected('comments are not allowed');
    if (n.nodeType === NODE.pi || n.nodeType === NODE.entityRef) throw new XmlRejected(`${n.nodeName} is not allowed`);
    if (n.nodeType !== NODE.element) continue;
    const el = n as Element;
    for (const a of Array.from(el.attributes as ArrayLike<Attr>)) {
      if (!ID_ATTRS.has(a.localName)) continue;
      if (ids.has(a.value)) throw new XmlRejected(`duplicate ID ${JSON.stringify(a.value)}`);
      ids.add(a.value);
    }
    if (el.localName === 'EncryptedAssertion') throw new XmlRejected('encrypted assertions are not supported');
    if (isElement(el, NS.assertion, 'Assertion')) assertions.push(el);
    if (isElement(el, NS.dsig, 'Signature')) signatures.push(el);
  }
  if (assertions.length === 0) failedStatus(root);
  if (assertions.length !== 1) throw new XmlRejected(`expected one Assertion, found ${assertions.length}`);
  const assertion = assertions[0] as Element;
  if (assertion.parentNode !== root) throw new XmlRejected('the Assertion is not a child of the Response');
  for (const s of signatures) {
    if (s.parentNode !== root && s.parentNode !== assertion) throw new XmlRejected(`a Signature sits inside ${s.parentNode?.nodeName}`);
  }
  // A second Signature under the same parent is an error here.
  child(root, NS.dsig, 'Signature');
  child(assertion, NS.dsig, 'Signature');
  return { root, assertion, signatures };
}

/** An IdP's error answer has no Assertion: report its (unauthenticated) status rather than the missing element. */
function failedStatus(root: Element): void {
  const status = child(root, NS.protocol, 'Status');
  const code = status ? child(status, NS.protocol, 'StatusCode') : undefined;
  const value = code ? attr(code, 'Value') : undefined;
  if (value !== undefined && value !== SUCCESS) throw new XmlRejected(`status is ${JSON.stringify(value)}, not Success (no Assertion)`);
}

/** Re-parses what a signature covered and checks it is the element expected, with the same ID. */
function signedElement(canonical: string, ns: string, local: string, id: string): Element {
  const el = parseStrict(canonical).documentElement;
  if (!isElement(el, ns, local) || attr(el, 'ID') !== id) throw new XmlRejected(`the signed content is not the ${local}`);
  return el;
}

/**
 * Parses and verifies `xml`. With `certs === null` (`insecureSkipSignatureValidation`) signatures are not checked
 * and everything is read from the untrusted document.
 */
export function verifyResponse(xml: string, certs: readonly string[] | null, policy: SignaturePolicy = { allowSHA1: false }): VerifiedResponse {
  const { root, assertion, signatures } = checkDocument(parseStrict(xml));
  if (certs === null) return { response: root, responseSigned: false, assertion };
  if (signatures.length === 0) throw new XmlRejected('neither the Response nor the Assertion is signed');

  const responseId = attr(root, 'ID') ?? '';
  const assertionId = attr(assertion, 'ID') ?? '';
  const responseSig = child(root, NS.dsig, 'Signature');
  const assertionSig = child(assertion, NS.dsig, 'Signature');
  let response = root;
  let verifiedAssertion: Element | undefined;
  if (responseSig) {
    response = signedElement(verifySignature(responseSig, xml, responseId, certs, policy), NS.protocol, 'Response', responseId);
    verifiedAssertion = child(response, NS.assertion, 'Assertion');
    if (!verifiedAssertion || attr(verifiedAssertion, 'ID') !== assertionId) throw new XmlRejected('the signed Response has no such Assertion');
  }
  if (assertionSig) {
    verifiedAssertion = signedElement(verifySignature(assertionSig, xml, assertionId, certs, policy), NS.assertion, 'Assertion', assertionId);
  }
  if (!verifiedAssertion) throw new XmlRejected('no verified Assertion');
  return { response, responseSigned: !!responseSig, assertion: verifiedAssertion };
}
