/** `ferry client list|get|create|update|delete`: OAuth2 clients through the API (secrets shown only by get/create). */

import { toJson } from '@bufbuild/protobuf';
import { ClientInfoSchema, ClientSchema, type Client } from '../api/gen/api_pb.js';
import { type AdminCommand, AdminFailure, bool, type FlagSpec, list, str, table } from './admin-command.js';

const FIELD_FLAGS: Record<string, FlagSpec> = {
  name: { type: 'string', value: '<name>', help: 'display name' },
  'redirect-uri': { type: 'string', multiple: true, value: '<url>', help: 'allowed redirect URI (repeatable)' },
  'trusted-peer': { type: 'string', multiple: true, value: '<id>', help: 'client allowed to mint tokens for this one (repeatable)' },
  'logo-url': { type: 'string', value: '<url>', help: 'logo shown on the approval page' },
  'allowed-connector': { type: 'string', multiple: true, value: '<id>', help: 'connector this client may use (repeatable; none = all)' },
};

const proto = { useProtoFieldName: true } as const;

function describe(c: Client): string {
  const rows: Array<[string, string]> = [
    ['id', c.id],
    ['secret', c.secret],
    ['name', c.name],
    ['public', String(c.public)],
    ['redirect URIs', c.redirectUris.join(', ')],
    ['trusted peers', c.trustedPeers.join(', ')],
    ['logo URL', c.logoUrl],
    ['allowed connectors', c.allowedConnectors.join(', ')],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(20)}${v || '-'}`).join('\n');
}

export const clientCommands: AdminCommand[] = [
  {
    group: 'client',
    verb: 'list',
    summary: 'List clients (without secrets)',
    args: [],
    flags: {},
    async run(ctx) {
      const { clients } = await ctx.api.listClients({});
      const rows = clients.map((c) => [c.id, c.name, c.public ? 'yes' : 'no', c.redirectUris.join(',')]);
      ctx.print(table(['ID', 'NAME', 'PUBLIC', 'REDIRECT URIS'], rows), clients.map((c) => toJson(ClientInfoSchema, c, proto)));
    },
  },
  {
    group: 'client',
    verb: 'get',
    summary: 'Show one client, including its secret',
    args: ['id'],
    flags: {},
    async run(ctx, [id = '']) {
      const { client } = await ctx.api.getClient({ id });
      if (!client) throw new AdminFailure(`client ${JSON.stringify(id)} not found`);
      ctx.print(describe(client), toJson(ClientSchema, client, proto));
    },
  },
  {
    group: 'client',
    verb: 'create',
    summary: 'Create a client (random id and secret unless given)',
    args: [],
    flags: {
      id: { type: 'string', value: '<id>', help: 'client id (default: random)' },
      secret: { type: 'string', value: '<secret>', help: 'client secret (default: random, unless --public)' },
      public: { type: 'boolean', help: 'a public client (no secret; native and browser apps)' },
      ...FIELD_FLAGS,
    },
    examples: ['ferry client create --id my-app --name "My App" --redirect-uri http://127.0.0.1:5555/callback'],
    async run(ctx, _args, f) {
      const res = await ctx.api.createClient({
        client: {
          id: str(f.id),
          secret: str(f.secret),
          public: bool(f.public),
          name: str(f.name),
          redirectUris: list(f['redirect-uri']),
          trustedPeers: list(f['trusted-peer']),
          logoUrl: str(f['logo-url']),
          allowedConnectors: list(f['allowed-connector']),
        },
      });
      if (res.alreadyExists || !res.client) throw new AdminFailure(`client ${JSON.stringify(str(f.id))} already exists`);
      ctx.print(`created client ${res.client.id}\n${describe(res.client)}`, toJson(ClientSchema, res.client, proto));
    },
  },
  {
    group: 'client',
    verb: 'update',
    summary: 'Change the given fields of a client (the secret cannot be changed)',
    args: ['id'],
    flags: FIELD_FLAGS,
    examples: ['ferry client update my-app --redirect-uri https://app.example.com/cb'],
    async run(ctx, [id = ''], f) {
      const res = await ctx.api.updateClient({
        id,
        name: str(f.name),
        redirectUris: list(f['redirect-uri']),
        trustedPeers: list(f['trusted-peer']),
        logoUrl: str(f['logo-url']),
        allowedConnectors: list(f['allowed-connector']),
      });
      if (res.notFound) throw new AdminFailure(`client ${JSON.stringify(id)} not found`);
      ctx.print(`updated client ${id}`, { id, updated: true });
    },
  },
  {
    group: 'client',
    verb: 'delete',
    summary: 'Delete a client',
    args: ['id'],
    flags: {},
    async run(ctx, [id = '']) {
      const res = await ctx.api.deleteClient({ id });
      if (res.notFound) throw new AdminFailure(`client ${JSON.stringify(id)} not found`);
      ctx.print(`deleted client ${id}`, { id, deleted: true });
    },
  },
];
