/**
 * Client RPCs (dex master (ab64ed77) `server/apiserver/clients.go`): Get, Create, Update, Delete, List.
 * Create fills an empty id with a random id and an empty secret of a confidential client with two random ids.
 * Update changes only the fields that are given; the secret and `public` cannot be changed. List omits secrets.
 */

import type { ServiceImpl } from '@connectrpc/connect';
import { registeredRedirectURIProblem } from '../lib/redirect-uri-policy.js';
import { newId } from '../storage/ids.js';
import type { Client } from '../storage/types.js';
import type { ApiDeps } from './deps.js';
import { given } from './convert.js';
import { invalidArgument, recover } from './errors.js';
import type { Dex } from './gen/api_pb.js';

type ClientRpcs = Pick<ServiceImpl<typeof Dex>, 'getClient' | 'createClient' | 'updateClient' | 'deleteClient' | 'listClients'>;

const LIFETIMES = ['', 'standalone', 'session'];

function checkLifetime(lifetime: string): void {
  if (!LIFETIMES.includes(lifetime)) {
    throw invalidArgument(`invalid refresh token lifetime ${JSON.stringify(lifetime)}: want "standalone" or "session"`);
  }
}

/** Refuses a redirect URI the shared policy refuses (src/lib/redirect-uri-policy.ts), naming the field and index. */
function checkRedirectURIs(field: string, uris: string[]): void {
  uris.forEach((uri, i) => {
    const problem = registeredRedirectURIProblem(uri);
    if (problem !== null) throw invalidArgument(`invalid ${field}[${i}]: ${problem}`);
  });
}

/** The wire form of a stored client, secret included (GetClient). */
function toWire(c: Client) {
  return {
    id: c.id,
    secret: c.secret,
    redirectUris: c.redirectURIs,
    trustedPeers: c.trustedPeers,
    public: c.public,
    name: c.name,
    logoUrl: c.logoURL,
    allowedConnectors: c.allowedConnectors,
    ssoSharedWith: c.ssoSharedWith ?? [],
    backchannelLogoutUri: c.backchannelLogoutURI,
    postLogoutRedirectUris: c.postLogoutRedirectURIs,
    refreshTokenLifetime: c.refreshTokenLifetime,
  };
}

export function clientRpcs(deps: ApiDeps): ClientRpcs {
  const { storage } = deps;
  return {
    async getClient(req) {
      return { client: toWire(await storage.getClient(req.id)) };
    },

    async createClient(req) {
      const w = req.client;
      if (!w) throw invalidArgument('no client supplied');
      const id = w.id || newId();
      const secret = w.secret === '' && !w.public ? newId() + newId() : w.secret;
      checkLifetime(w.refreshTokenLifetime);
      checkRedirectURIs('redirect_uris', w.redirectUris);
      checkRedirectURIs('post_logout_redirect_uris', w.postLogoutRedirectUris);
      const client: Client = {
        id,
        secret,
        redirectURIs: w.redirectUris,
        trustedPeers: w.trustedPeers,
        public: w.public,
        name: w.name,
        logoURL: w.logoUrl,
        allowedConnectors: w.allowedConnectors,
        postLogoutRedirectURIs: w.postLogoutRedirectUris,
        backchannelLogoutURI: w.backchannelLogoutUri,
        refreshTokenLifetime: w.refreshTokenLifetime,
        clientCredentialsClaims: null,
        ssoSharedWith: given(w.ssoSharedWith) ? w.ssoSharedWith : null,
        mfaChain: null,
      };
      const create = async () => {
        await storage.createClient(client);
        return { client: toWire(client) };
      };
      return recover(create, 'ERR_ALREADY_EXISTS', { alreadyExists: true });
    },

    async updateClient(req) {
      if (req.id === '') throw invalidArgument('update client: no client ID supplied');
      if (req.refreshTokenLifetime !== undefined) checkLifetime(req.refreshTokenLifetime);
      checkRedirectURIs('redirect_uris', req.redirectUris);
      checkRedirectURIs('post_logout_redirect_uris', req.postLogoutRedirectUris);
      const update = async () => {
        await storage.updateClient(req.id, (old) => ({
          ...old,
          ...(given(req.redirectUris) && { redirectURIs: req.redirectUris }),
          ...(given(req.trustedPeers) && { trustedPeers: req.trustedPeers }),
          ...(req.name !== '' && { name: req.name }),
          ...(req.logoUrl !== '' && { logoURL: req.logoUrl }),
          ...(given(req.allowedConnectors) && { allowedConnectors: req.allowedConnectors }),
          ...(given(req.ssoSharedWith) && { ssoSharedWith: req.ssoSharedWith }),
          ...(req.backchannelLogoutUri !== undefined && { backchannelLogoutURI: req.backchannelLogoutUri }),
          ...(given(req.postLogoutRedirectUris) && { postLogoutRedirectURIs: req.postLogoutRedirectUris }),
          ...(req.refreshTokenLifetime !== undefined && { refreshTokenLifetime: req.refreshTokenLifetime }),
        }));
        return {};
      };
      return recover(update, 'ERR_NOT_FOUND', { notFound: true });
    },

    async deleteClient(req) {
      const remove = async () => {
        await storage.deleteClient(req.id);
        return {};
      };
      return recover(remove, 'ERR_NOT_FOUND', { notFound: true });
    },

    async listClients() {
      const clients = await storage.listClients();
      return {
        clients: clients.map((c) => {
          const { secret: _secret, ...info } = toWire(c);
          return info;
        }),
      };
    },
  };
}
