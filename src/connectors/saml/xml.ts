/**
 * Strict XML reading for SAML messages. `@xmldom/xmldom` alone is lenient: it drops text before the root, keeps
 * only the first of several roots, reports undefined entities as a warning and accepts undeclared prefixes. Any of
 * those is a parser differential an attacker can use (node-saml GHSA-m974-647v-whv7, ruby-saml CVE-2025-25291), so
 * here every parser complaint is fatal and the document shape is checked before anything reads it.
 */

import { DOMParser } from '@xmldom/xmldom';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Thrown for any malformed or disallowed XML; the connector turns it into a `ConnectorError`. */
export class XmlRejected extends Error {}

const XML_DECL = /^\uFEFF?\s*(<\?xml\s[^?]*\?>)?\s*/;

/** DOM node types (W3C DOM level 2). */
export const NODE = { element: 1, attribute: 2, text: 3, cdata: 4, entityRef: 5, pi: 7, comment: 8, doctype: 10 } as const;

/**
 * Parses `xml` as one SAML document: no DOCTYPE or entity declarations, exactly one root element, nothing but an XML
 * declaration and whitespace around it, every prefix declared, and every parser warning treated as an error.
 */
export function parseStrict(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new XmlRejected('DOCTYPE and entity declarations are not allowed');
  checkShapeLimits(xml);
  const head = XML_DECL.exec(xml)?.[0] ?? '';
  if (!xml.slice(head.length).startsWith('<')) throw new XmlRejected('content before the root element');
  if (!/>\s*$/.test(xml)) throw new XmlRejected('content after the root element');
  const fail = (msg: string) => {
    throw new XmlRejected(`malformed XML: ${msg.split('\n')[0]}`);
  };
  const doc = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml');
  const top = Array.from(doc.childNodes as ArrayLike<Node>);
  const roots = top.filter((n) => n.nodeType === NODE.element);
  if (roots.length !== 1) throw new XmlRejected(`expected one root element, found ${roots.length}`);
  for (const n of top) {
    if (n.nodeType === NODE.element) continue;
    if (n.nodeType === NODE.pi && n.nodeName === 'xml') continue;
    if (n.nodeType === NODE.text && !n.nodeValue?.trim()) continue;
    throw new XmlRejected(`unexpected ${n.nodeName} outside the root element`);
  }
  checkPrefixes(roots[0] as Element);
  return doc;
}

/** A real SAML response has a few hundred elements, nested about ten deep. */
export const MAX_ELEMENTS = 4000;
export const MAX_DEPTH = 40;

/**
 * Counts elements and nesting in one linear scan of the text, before the (much slower) DOM parse: a hostile
 * document of many or deeply nested elements is refused without building it. A `>` inside an attribute value can
 * only make the estimate larger, never let a document past the limits.
 */
function checkShapeLimits(xml: string): void {
  let elements = 0;
  let depth = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x2f /* / */) {
      depth--;
      continue;
    }
    if (next === 0x3f /* ? */ || next === 0x21 /* ! */) continue;
    elements++;
    const end = xml.indexOf('>', i);
    if (end === -1 || xml.charCodeAt(end - 1) !== 0x2f) depth++;
    if (elements > MAX_ELEMENTS) throw new XmlRejected(`more than ${MAX_ELEMENTS} elements`);
    if (depth > MAX_DEPTH) throw new XmlRejected(`elements nested deeper than ${MAX_DEPTH}`);
  }
}

function checkPrefixes(el: Element): void {
  if (el.prefix && !el.namespaceURI) throw new XmlRejected(`undeclared prefix ${el.prefix}`);
  for (const a of Array.from(el.attributes as ArrayLike<Attr>)) {
    if (a.prefix && a.prefix !== 'xmlns' && !a.namespaceURI) throw new XmlRejected(`undeclared prefix ${a.prefix}`);
  }
  for (const c of childElements(el)) checkPrefixes(c);
}

/** Every node below `root` (depth first, root included). */
export function* walk(root: Node): Generator<Node> {
  yield root;
  if (!root.childNodes) return; // xmldom leaves it null on text and attribute nodes
  for (const c of Array.from(root.childNodes as ArrayLike<Node>)) yield* walk(c);
}

export function childElements(el: Node): Element[] {
  return Array.from((el.childNodes ?? []) as ArrayLike<Node>).filter((n): n is Element => n.nodeType === NODE.element);
}

export const isElement = (n: Node | null | undefined, ns: string, local: string): n is Element =>
  !!n && n.nodeType === NODE.element && (n as Element).namespaceURI === ns && (n as Element).localName === local;

/** Direct children of `el` named `{ns}local`. */
export const children = (el: Node, ns: string, local: string): Element[] => childElements(el).filter((c) => isElement(c, ns, local));

/** The single direct child `{ns}local`, `undefined` when absent; several are an error. */
export function child(el: Node, ns: string, local: string): Element | undefined {
  const found = children(el, ns, local);
  if (found.length > 1) throw new XmlRejected(`more than one ${local} in ${el.nodeName}`);
  return found[0];
}

/** Text content of an element that must hold only text (no child elements). */
export function textOf(el: Element): string {
  for (const n of Array.from(el.childNodes as ArrayLike<Node>)) {
    if (n.nodeType !== NODE.text && n.nodeType !== NODE.cdata) throw new XmlRejected(`${el.localName} must contain only text`);
  }
  return el.textContent ?? '';
}

/** An attribute without namespace, `undefined` when absent. */
export const attr = (el: Element, name: string): string | undefined => (el.hasAttribute(name) ? el.getAttribute(name) ?? '' : undefined);
