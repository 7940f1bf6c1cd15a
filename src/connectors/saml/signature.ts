/**
 * Verifies one enveloped XML signature (XML-DSig core §3.2) with ONLY the configured certificates, and returns the
 * canonical bytes it covers. Before `xml-crypto` runs, the Signature's own shape is checked, because each of these
 * was once a signature bypass:
 * - exactly one SignedInfo and exactly one Reference (xml-crypto CVE-2025-29774), pointing at the element that
 *   holds the Signature (`#` + its ID), so the signed element is the one the caller reads (XSW, Keycloak
 *   CVE-2024-8698);
 * - algorithms from a short allow-list: RSA with SHA-256/512 (SHA-1 only with `insecureAllowSHA1`), never HMAC
 *   (key confusion with the public cert);
 *   transforms limited to enveloped-signature and (exclusive) c14n;
 * - no `ds:Object` (a hiding place for wrapped content); `KeyInfo` is ignored entirely (xml-crypto
 *   CVE-2024-32962): the key is always a configured certificate.
 * Comments anywhere (CVE-2025-29775, comment in `DigestValue`) are refused earlier by the document checks.
 */

import { SignedXml } from 'xml-crypto';
import { NS, XmlRejected, attr, child, childElements, children, textOf } from './xml.js';

const C14N = ['http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'];
const TRANSFORMS = ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', ...C14N];
const SIGNATURE_METHODS = [
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
];
const DIGEST_METHODS = [
  'http://www.w3.org/2000/09/xmldsig#sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
];

const SHA1 = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#sha1']);

/** What the operator allowed beyond the defaults. */
export interface SignaturePolicy {
  allowSHA1: boolean;
}

const without = (list: string[], p: SignaturePolicy) => (p.allowSHA1 ? list : list.filter((a) => !SHA1.has(a)));

function algorithm(el: Element | undefined, allowed: string[], what: string): string {
  const alg = el ? attr(el, 'Algorithm') : undefined;
  if (!alg || !allowed.includes(alg)) throw new XmlRejected(`${what} algorithm ${JSON.stringify(alg ?? '')} is not allowed`);
  return alg;
}

function only(el: Element, allowed: string[]): void {
  for (const c of childElements(el)) {
    if (c.namespaceURI !== NS.dsig || !allowed.includes(c.localName)) throw new XmlRejected(`unexpected ${c.nodeName} in ${el.localName}`);
  }
}

/** Checks the Signature's structure; `signedId` is the ID of the element that contains it. */
export function checkSignatureShape(sig: Element, signedId: string, policy: SignaturePolicy = { allowSHA1: false }): void {
  only(sig, ['SignedInfo', 'SignatureValue', 'KeyInfo']);
  const signedInfos = children(sig, NS.dsig, 'SignedInfo');
  if (signedInfos.length !== 1) throw new XmlRejected(`expected one SignedInfo, found ${signedInfos.length}`);
  const info = signedInfos[0] as Element;
  if (!child(sig, NS.dsig, 'SignatureValue')) throw new XmlRejected('missing SignatureValue');
  only(info, ['CanonicalizationMethod', 'SignatureMethod', 'Reference']);
  algorithm(child(info, NS.dsig, 'CanonicalizationMethod'), C14N, 'canonicalization');
  algorithm(child(info, NS.dsig, 'SignatureMethod'), without(SIGNATURE_METHODS, policy), 'signature');
  const refs = children(info, NS.dsig, 'Reference');
  if (refs.length !== 1) throw new XmlRejected(`expected one Reference, found ${refs.length}`);
  const ref = refs[0] as Element;
  if (!signedId || attr(ref, 'URI') !== `#${signedId}`) {
    throw new XmlRejected(`the signature references ${JSON.stringify(attr(ref, 'URI') ?? '')}, not its parent element`);
  }
  only(ref, ['Transforms', 'DigestMethod', 'DigestValue']);
  const transforms = child(ref, NS.dsig, 'Transforms');
  if (transforms) {
    only(transforms, ['Transform']);
    for (const t of children(transforms, NS.dsig, 'Transform')) {
      algorithm(t, TRANSFORMS, 'transform');
      for (const c of childElements(t)) {
        if (c.localName !== 'InclusiveNamespaces') throw new XmlRejected(`unexpected ${c.nodeName} in Transform`);
      }
    }
  }
  algorithm(child(ref, NS.dsig, 'DigestMethod'), without(DIGEST_METHODS, policy), 'digest');
  const digest = child(ref, NS.dsig, 'DigestValue');
  if (!digest || !textOf(digest).trim()) throw new XmlRejected('missing DigestValue');
}

/**
 * Verifies `sig` (an element of the document parsed from `xml`) against each certificate in turn and returns the
 * canonical XML of the one element it signs. Throws `XmlRejected` when no certificate verifies it.
 */
export function verifySignature(sig: Element, xml: string, signedId: string, certs: readonly string[], policy?: SignaturePolicy): string {
  checkSignatureShape(sig, signedId, policy);
  let last = 'no certificate configured';
  for (const cert of certs) {
    const verifier = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(sig);
      if (!verifier.checkSignature(xml)) {
        last = 'a reference did not validate';
        continue;
      }
      const signed = verifier.getSignedReferences();
      if (signed.length !== 1 || !signed[0]) throw new XmlRejected(`expected one signed reference, got ${signed.length}`);
      return signed[0];
    } catch (err) {
      if (err instanceof XmlRejected) throw err;
      last = (err as Error).message;
    }
  }
  throw new XmlRejected(`signature verification failed: ${last}`);
}
