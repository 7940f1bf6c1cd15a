// A real SAML 2.0 IdP for Ferry's tests, built on samlify 2.13 (signs with xml-crypto, RSA-SHA256, exclusive c14n).
//
// Flow: the SP POSTs (or redirects) an AuthnRequest to /sso → a login form → POST /login with username/password →
// an auto-submitting form that POSTs the signed SAMLResponse to the request's ACS URL.
// Trust: the SP's entity id must be SP_ENTITY_ID; its ACS URL may be any loopback URL ending in /callback
// (http://127.0.0.1:<any port>/<path>/callback), because Ferry's test servers listen on random ports.
// Per-request options in the SSO URL's query: sign=assertion (default) | response | both; outage=1 makes the IdP
// answer every login with a signed Responder status (its user store "down").
// Admin hook: POST /admin/groups {"user":"janedoe","groups":[...]} changes a user's groups; POST /admin/reset.
// Env: PORT (15580), IDP_KEY, IDP_CERT (PEM files), SP_ENTITY_ID (urn:ferry:test-sp).
import http from 'node:http';
/* global structuredClone */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as samlify from 'samlify';
import * as xmllint from '@authenio/samlify-node-xmllint';

const PORT = Number(process.env.PORT ?? 15580);
const BASE = `http://127.0.0.1:${PORT}`;
const SP_ENTITY_ID = process.env.SP_ENTITY_ID ?? 'urn:ferry:test-sp';
const ACS_PATTERN = /^http:\/\/127\.0\.0\.1:\d{2,5}\/([A-Za-z0-9._~-]+\/)*callback$/;
const lib = samlify.default.SamlLib;
samlify.setSchemaValidator(xmllint); // XSD-validates every AuthnRequest the SP sends

const INITIAL_USERS = {
  janedoe: { password: 'foo', email: 'janedoe@example.org', name: 'Jane Doe', groups: ['admins', 'developers'] },
  johndoe: { password: 'bar', email: 'johndoe@example.org', name: 'John Doe', groups: ['developers'] },
  // no groups attribute at all
  nogroups: { password: 'baz', email: 'nogroups@example.org', name: 'No Groups', groups: null },
};
let users = structuredClone(INITIAL_USERS);
const pending = new Map(); // login ticket → { request, acs, relayState, sign, outage }

const idp = samlify.IdentityProvider({
  entityID: `${BASE}/metadata`,
  privateKey: fs.readFileSync(process.env.IDP_KEY),
  signingCert: fs.readFileSync(process.env.IDP_CERT),
  nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  singleSignOnService: [
    { Binding: samlify.Constants.namespace.binding.post, Location: `${BASE}/sso` },
    { Binding: samlify.Constants.namespace.binding.redirect, Location: `${BASE}/sso` },
  ],
  requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
});

const spFor = (acs, sign) =>
  samlify.ServiceProvider({
    entityID: SP_ENTITY_ID,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: acs }],
    wantAssertionsSigned: sign !== 'response',
    wantMessageSigned: sign !== 'assertion',
  });

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attribute = (name, values) =>
  `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
  values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join('') +
  '</saml:Attribute>';

function attributes(u) {
  const list = [attribute('email', [u.email]), attribute('name', [u.name])];
  if (u.groups) list.push(attribute('groups', u.groups), attribute('groupsCsv', [u.groups.join(',')]));
  return `<saml:AttributeStatement>${list.join('')}</saml:AttributeStatement>`;
}

/** A signed response for `u` (or a signed Responder failure when `u` is null). */
async function loginResponse(flow, u) {
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60e3);
  const sp = u ? spFor(flow.acs, flow.sign) : samlify.ServiceProvider({ ...spFor(flow.acs, 'response').entitySetting });
  const id = idp.entitySetting.generateID();
  const custom = (template) => {
    let xml = lib.replaceTagsByValue(template, {
      ID: id, AssertionID: idp.entitySetting.generateID(), Destination: flow.acs, Audience: SP_ENTITY_ID,
      SubjectRecipient: flow.acs, Issuer: idp.entityMeta.getEntityID(), IssueInstant: now.toISOString(),
      StatusCode: u ? 'urn:oasis:names:tc:SAML:2.0:status:Success' : 'urn:oasis:names:tc:SAML:2.0:status:Responder',
      ConditionsNotBefore: new Date(now.getTime() - 30e3).toISOString(), ConditionsNotOnOrAfter: later.toISOString(),
      SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
      NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', NameID: u?.email ?? 'unknown',
      InResponseTo: flow.request.id, AuthnStatement: '@@AUTHN@@', AttributeStatement: '@@ATTRS@@',
    });
    const authn = `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    xml = xml.replace('@@AUTHN@@', u ? authn : '').replace('@@ATTRS@@', u ? attributes(u) : '');
    if (!u) xml = xml.replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, '');
    return { id, context: xml };
  };
  return idp.createLoginResponse(sp, { extract: { request: { id: flow.request.id } } }, 'post', u ?? {}, { customTagReplacement: custom });
}

const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head><body>${body}</body></html>`;
const loginForm = (ticket, error) =>
  page(`<h1>Test IdP sign-in</h1>${error ? `<p id="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${BASE}/login"><input type="hidden" name="ticket" value="${esc(ticket)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username">
<label for="password">Password</label><input id="password" type="password" name="password">
<button type="submit">Sign in</button></form>`);
const postForm = (action, samlResponse, relayState) =>
  page(`<form method="post" action="${esc(action)}"><input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">
${relayState ? `<input type="hidden" name="RelayState" value="${esc(relayState)}">` : ''}<button type="submit">Continue</button></form>
<script>document.forms[0].submit()</script>`);

const readBody = (req) => new Promise((resolve) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => resolve(b)); });
const send = (res, status, body, type = 'text/html; charset=utf-8') => res.writeHead(status, { 'content-type': type }).end(body);

async function sso(req, url) {
  const query = Object.fromEntries(url.searchParams);
  let parsed;
  let fields = query;
  if (req.method === 'POST') {
    fields = { ...query, ...Object.fromEntries(new URLSearchParams(await readBody(req))) };
    parsed = await idp.parseLoginRequest(spFor('http://127.0.0.1:1/callback', 'assertion'), 'post', { body: fields });
  } else {
    parsed = await idp.parseLoginRequest(spFor('http://127.0.0.1:1/callback', 'assertion'), 'redirect', { query, octetString: url.search.slice(1) });
  }
  const { request, issuer } = parsed.extract;
  if (issuer !== SP_ENTITY_ID) throw new Error(`unknown SP ${issuer}`);
  const acs = request.assertionConsumerServiceUrl;
  if (!ACS_PATTERN.test(acs ?? '')) throw new Error(`ACS URL ${acs} is not trusted`);
  const ticket = randomBytes(16).toString('hex');
  pending.set(ticket, { request, acs, relayState: fields.RelayState, sign: query.sign ?? 'assertion', outage: query.outage === '1' });
  return loginForm(ticket);
}

async function login(req) {
  const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
  const flow = pending.get(form.ticket);
  if (!flow) return loginForm('', 'This sign-in has expired.');
  const u = users[form.username];
  if (!u || u.password !== form.password) return loginForm(form.ticket, 'Wrong username or password.');
  pending.delete(form.ticket);
  const r = await loginResponse(flow, flow.outage ? null : u);
  return postForm(flow.acs, r.context, flow.relayState);
}

http
  .createServer(async (req, res) => {
    try {
      const url = new URL(req.url, BASE);
      if (url.pathname === '/metadata') return send(res, 200, idp.getMetadata(), 'application/samlmetadata+xml');
      if (url.pathname === '/sso') return send(res, 200, await sso(req, url));
      if (url.pathname === '/login' && req.method === 'POST') return send(res, 200, await login(req));
      if (url.pathname === '/admin/groups' && req.method === 'POST') {
        const { user, groups } = JSON.parse(await readBody(req));
        if (!users[user]) return send(res, 404, 'no such user', 'text/plain');
        users[user].groups = groups;
        return send(res, 204, '');
      }
      if (url.pathname === '/admin/reset' && req.method === 'POST') {
        users = structuredClone(INITIAL_USERS);
        return send(res, 204, '');
      }
      return send(res, 404, 'not found', 'text/plain');
    } catch (e) {
      console.error(e);
      return send(res, 400, page(`<p id="error">${esc(e?.message ?? e)}</p>`));
    }
  })
  .listen(PORT, '127.0.0.1', () => console.error(`saml idp listening on ${BASE}`));
