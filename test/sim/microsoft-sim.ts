/**
 * Microsoft identity platform + Graph simulation: `/{tenant}/oauth2/v2.0/authorize` and `/token` (client secret
 * in the form or by Basic, or a `client_assertion`; access tokens last 1 h, refresh tokens rotate), and Graph
 * v1.0: `GET /v1.0/me` (honours `$select`), `POST /v1.0/me/getMemberGroups` (`securityEnabledOnly`; 1,000 ids a
 * page with `@odata.nextLink`; needs `directory.read.all`), `POST /v1.0/directoryObjects/getByIds` (refuses more
 * than 1,000 ids with 400, as Graph does; 500 objects a page). Graph errors are `{ error: { code, message } }`.
 */

import { json, startApiSim, type ApiSim, type Route, type SimRequest } from './api-sim.js';
import { tokenRoute } from './google-sim.js';

export interface MicrosoftSimGroup {
  id: string;
  displayName: string;
  securityEnabled: boolean;
}

export interface MicrosoftSimUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mailNickname: string;
  onPremisesSamAccountName: string | null;
  /** Ids of the groups the user is in (transitively). */
  groups: string[];
}

export const MICROSOFT_CLIENT = { clientId: '8b1d6a3e-ms-client', clientSecret: 'ms-secret-do-not-log', assertion: 'eyJhbGciOiJSUzI1NiJ9.sim-assertion.sig' };
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const gid = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;

/** Groups: 1 Developers (security), 2 Admins (security), 3 All Company (Microsoft 365, not security), 100+ bulk. */
export function microsoftGroups(): Record<string, MicrosoftSimGroup> {
  const groups: MicrosoftSimGroup[] = [
    { id: gid(1), displayName: 'Developers', securityEnabled: true },
    { id: gid(2), displayName: 'Admins', securityEnabled: true },
    { id: gid(3), displayName: 'All Company', securityEnabled: false },
    ...Array.from({ length: 1500 }, (_, i) => ({ id: gid(100 + i), displayName: `Bulk ${String(i + 1).padStart(4, '0')}`, securityEnabled: true })),
  ];
  return Object.fromEntries(groups.map((g) => [g.id, g]));
}

/** alice: three groups. bob: mixed-case UPN, only All Company. carol: no groups. dave: 1,500 groups. */
export function microsoftUsers(): Record<string, MicrosoftSimUser> {
  const u = (id: string, displayName: string, upn: string, groups: string[], sam: string | null = null) =>
    ({ id, displayName, userPrincipalName: upn, mailNickname: upn.split('@')[0] ?? '', onPremisesSamAccountName: sam, groups });
  return {
    alice: u('a1a1a1a1-0000-0000-0000-000000000001', 'Alice Liddell', 'alice@example.onmicrosoft.com', [gid(1), gid(2), gid(3)], 'ALICE'),
    bob: u('b2b2b2b2-0000-0000-0000-000000000002', 'Bob Smith', 'Bob.Smith@Example.COM', [gid(3)]),
    carol: u('c3c3c3c3-0000-0000-0000-000000000003', 'Carol', 'carol@example.onmicrosoft.com', []),
    dave: u('d4d4d4d4-0000-0000-0000-000000000004', 'Dave', 'dave@example.onmicrosoft.com', Array.from({ length: 1500 }, (_, i) => gid(100 + i))),
  };
}

const graphError = (status: number, code: string, message: string) => json({ error: { code, message, innerError: { date: '2026-01-01T00:00:00' } } }, status);

function body(req: SimRequest): Record<string, unknown> {
  try {
    return JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function pageOf<T>(req: SimRequest, items: T[], size: number): { value: T[]; '@odata.nextLink'?: string } {
  const skip = Number(req.query.get('$skiptoken') ?? 0) || 0;
  const out: { value: T[]; '@odata.nextLink'?: string } = { value: items.slice(skip, skip + size) };
  if (skip + size < items.length) out['@odata.nextLink'] = `${req.url.origin}${req.path}?$skiptoken=${skip + size}`;
  return out;
}

function routes(groups: Record<string, MicrosoftSimGroup>): Route<MicrosoftSimUser>[] {
  const canReadGroups = (scopes: string[]) => scopes.some((s) => s.toLowerCase() === 'directory.read.all');
  return [
    {
      path: '/v1.0/me',
      handle: (req, { user }) => {
        const select = (req.query.get('$select') ?? '').split(',').filter(Boolean);
        const all: Record<string, unknown> = { ...user, groups: undefined, '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity' };
        return json(select.length ? Object.fromEntries(select.map((k) => [k, all[k] ?? null])) : all);
      },
    },
    {
      method: 'POST',
      path: '/v1.0/me/getMemberGroups',
      handle: (req, { user, scopes }) => {
        if (!canReadGroups(scopes)) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
        const securityOnly = body(req).securityEnabledOnly === true;
        const ids = user.groups.filter((id) => !securityOnly || groups[id]?.securityEnabled);
        return json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', ...pageOf(req, ids, 1000) });
      },
    },
    {
      method: 'POST',
      path: '/v1.0/directoryObjects/getByIds',
      handle: (req, { scopes }) => {
        if (!canReadGroups(scopes)) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
        const ids = Array.isArray(body(req).ids) ? (body(req).ids as string[]) : [];
        if (ids.length > 1000) return graphError(400, 'Request_BadRequest', 'Too many identifiers in the request; the limit is 1000.');
        const found = ids.flatMap((id) => (groups[id] ? [{ '@odata.type': '#microsoft.graph.group', ...groups[id] }] : []));
        return json(pageOf(req, found, 500));
      },
    },
  ];
}

export function startMicrosoftSim(tenant = TENANT, users = microsoftUsers()): Promise<ApiSim<MicrosoftSimUser>> {
  const tokenPath = `/${tenant}/oauth2/v2.0/token`;
  const clientOk = (req: SimRequest, c: { id: string; secret: string }) =>
    c.id === MICROSOFT_CLIENT.clientId &&
    (c.secret === MICROSOFT_CLIENT.clientSecret ||
      (req.form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && req.form.get('client_assertion') === MICROSOFT_CLIENT.assertion));
  return startApiSim({
    users,
    routes: [tokenRoute<MicrosoftSimUser>(tokenPath, clientOk), ...routes(microsoftGroups())],
    oauth: { ...MICROSOFT_CLIENT, authorizePath: `/${tenant}/oauth2/v2.0/authorize`, tokenPath: `/${tenant}/sim-unused-token`, accessTokenTtl: 3600 },
    unauthorized: graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
  });
}
