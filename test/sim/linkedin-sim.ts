/**
 * LinkedIn API simulation: OAuth at `/oauth/v2/authorization` and `/oauth/v2/accessToken` (client credentials as
 * form fields), `/v2/me` (lite profile) and `/v2/emailAddress?q=members&projection=(elements*(handle~))`.
 * Access tokens last 60 days and come without refresh tokens, as LinkedIn's do for most apps.
 */

import { json, startApiSim, status, type ApiSim, type Route } from './api-sim.js';

export interface LinkedinSimUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
}

export const LINKEDIN_CLIENT = { clientId: 'li-client', clientSecret: 'li-secret-do-not-log' };

/** alice: full profile. nemo: no name. hidden: no email address. */
export function linkedinUsers(): Record<string, LinkedinSimUser> {
  return {
    alice: { id: 'yrZCpj2Z12', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com' },
    nemo: { id: 'nM0aBc', firstName: '', lastName: '', email: 'nemo@example.com' },
    hidden: { id: 'hD9xYz', firstName: 'Hidden', lastName: 'Email', email: null },
  };
}

function routes(): Route<LinkedinSimUser>[] {
  return [
    {
      path: '/v2/me',
      handle: (_r, { user: u, scopes }) =>
        scopes.includes('r_liteprofile')
          ? json({ id: u.id, localizedFirstName: u.firstName, localizedLastName: u.lastName, firstName: { localized: { en_US: u.firstName } } })
          : status(403, 'Not enough permissions to access: GET /me'),
    },
    {
      path: '/v2/emailAddress',
      handle: (req, { user, scopes }) => {
        if (!scopes.includes('r_emailaddress') || req.query.get('q') !== 'members') return status(403, 'Not enough permissions');
        return json({ elements: user.email ? [{ handle: 'urn:li:emailAddress:1', 'handle~': { emailAddress: user.email } }] : [] });
      },
    },
  ];
}

export function startLinkedinSim(): Promise<ApiSim<LinkedinSimUser>> {
  return startApiSim({
    users: linkedinUsers(),
    routes: routes(),
    oauth: { ...LINKEDIN_CLIENT, authorizePath: '/oauth/v2/authorization', tokenPath: '/oauth/v2/accessToken', accessTokenTtl: 60 * 86400, refreshTokens: false },
    unauthorized: json({ serviceErrorCode: 65600, message: 'Invalid access token', status: 401 }, 401),
  });
}
