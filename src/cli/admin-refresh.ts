/**
 * `ferry refresh list|revoke`: a user's refresh tokens. The user is the ID token's `sub` (dex's encoded user and
 * connector id), or `--user-id` plus `--connector-id`, which are encoded here.
 */

import { encodeSubject } from '../server/tokens/subject.js';
import { type AdminCommand, AdminFailure, type FlagValues, str, table } from './admin-command.js';

const USER_FLAGS = {
  'user-id': { type: 'string', value: '<id>', help: 'raw user id (instead of <sub>; needs --connector-id)' },
  'connector-id': { type: 'string', value: '<id>', help: 'connector the user logged in with' },
} as const;

function subject(args: string[], f: FlagValues): string {
  const [sub] = args;
  const userId = str(f['user-id']);
  if (sub && userId) throw new AdminFailure('give either <sub> or --user-id/--connector-id, not both');
  if (sub) return sub;
  if (!userId || !str(f['connector-id'])) throw new AdminFailure('give <sub> (the ID token\'s "sub"), or --user-id and --connector-id');
  return encodeSubject(userId, str(f['connector-id']));
}

const iso = (unix: bigint): string => (unix === 0n ? '' : new Date(Number(unix) * 1000).toISOString());

export const refreshCommands: AdminCommand[] = [
  {
    group: 'refresh',
    verb: 'list',
    summary: "List a user's refresh tokens (one per client)",
    args: ['sub'],
    optionalArgs: 1,
    flags: USER_FLAGS,
    examples: ['ferry refresh list CgVqYW5lMRIFbG9jYWw', 'ferry refresh list --user-id jane1 --connector-id local'],
    async run(ctx, args, f) {
      const { refreshTokens } = await ctx.api.listRefresh({ userId: subject(args, f) });
      const rows = refreshTokens.map((r) => [r.clientId, r.id, iso(r.createdAt), iso(r.lastUsed)]);
      const json = refreshTokens.map((r) => ({ id: r.id, client_id: r.clientId, created_at: Number(r.createdAt), last_used: Number(r.lastUsed) }));
      ctx.print(table(['CLIENT', 'TOKEN ID', 'CREATED', 'LAST USED'], rows), json);
    },
  },
  {
    group: 'refresh',
    verb: 'revoke',
    summary: "Revoke a user's refresh token for one client",
    args: ['sub'],
    optionalArgs: 1,
    flags: { ...USER_FLAGS, 'client-id': { type: 'string', value: '<id>', help: 'the client whose token to revoke (required)' } },
    examples: ['ferry refresh revoke CgVqYW5lMRIFbG9jYWw --client-id my-app'],
    async run(ctx, args, f) {
      const clientId = str(f['client-id']);
      if (!clientId) throw new AdminFailure('--client-id is required');
      const res = await ctx.api.revokeRefresh({ userId: subject(args, f), clientId });
      if (res.notFound) throw new AdminFailure(`no refresh token of that user for client ${JSON.stringify(clientId)}`);
      ctx.print(`revoked the refresh token for client ${clientId}`, { client_id: clientId, revoked: true });
    },
  },
];
