/**
 * `ferry password list|create|update|delete|verify`: the password DB through the API. Plain-text passwords are
 * read from stdin (`--password-stdin`), never from the command line, and hashed here with bcrypt before sending.
 */

import { hash } from '@node-rs/bcrypt';
import { type AdminCommand, type AdminContext, AdminFailure, type FlagValues, str, table } from './admin-command.js';

const SECRET_FLAGS = {
  hash: { type: 'string', value: '<bcrypt>', help: 'bcrypt hash (cost 10..16), e.g. from `htpasswd -bnBC 10 "" pw`' },
  'password-stdin': { type: 'boolean', help: 'read the password from stdin and hash it here' },
  cost: { type: 'string', value: '<n>', help: 'bcrypt cost for --password-stdin (default 10)' },
} as const;

/** The hash to send: `--hash` as given, or stdin hashed with `--cost`; null when neither flag was used. */
async function hashFromFlags(ctx: AdminContext, f: FlagValues): Promise<Uint8Array | null> {
  if (f.hash !== undefined && f['password-stdin']) throw new AdminFailure('use either --hash or --password-stdin, not both');
  if (f.hash !== undefined) return Buffer.from(str(f.hash));
  if (!f['password-stdin']) return null;
  const cost = f.cost === undefined ? 10 : Number(f.cost);
  if (!Number.isInteger(cost) || cost < 10 || cost > 16) throw new AdminFailure('--cost must be an integer from 10 to 16');
  const password = await readPassword(ctx);
  return Buffer.from(await hash(password, cost));
}

async function readPassword(ctx: AdminContext): Promise<string> {
  const password = (await ctx.readStdin()).replace(/\r?\n$/, '');
  if (password === '') throw new AdminFailure('no password on stdin');
  return password;
}

export const passwordCommands: AdminCommand[] = [
  {
    group: 'password',
    verb: 'list',
    summary: 'List password-DB users (hashes are never shown)',
    args: [],
    flags: {},
    async run(ctx) {
      const { passwords } = await ctx.api.listPasswords({});
      const rows = passwords.map((p) => [p.email, p.username, p.userId]);
      ctx.print(table(['EMAIL', 'USERNAME', 'USER ID'], rows), passwords.map((p) => ({ email: p.email, username: p.username, user_id: p.userId })));
    },
  },
  {
    group: 'password',
    verb: 'create',
    summary: 'Create a password-DB user',
    args: ['email'],
    flags: {
      'user-id': { type: 'string', value: '<id>', help: 'stable user id (required; becomes part of `sub`)' },
      username: { type: 'string', value: '<name>', help: 'display name' },
      ...SECRET_FLAGS,
    },
    examples: ['echo -n "s3cret" | ferry password create jane@example.com --user-id jane --username Jane --password-stdin'],
    async run(ctx, [email = ''], f) {
      const hashed = await hashFromFlags(ctx, f);
      if (!hashed) throw new AdminFailure('give the password with --password-stdin or --hash');
      const res = await ctx.api.createPassword({ password: { email, hash: hashed, username: str(f.username), userId: str(f['user-id']) } });
      if (res.alreadyExists) throw new AdminFailure(`a password for ${JSON.stringify(email)} already exists`);
      ctx.print(`created password for ${email}`, { email, created: true });
    },
  },
  {
    group: 'password',
    verb: 'update',
    summary: 'Change the hash and/or username of a password-DB user',
    args: ['email'],
    flags: { username: { type: 'string', value: '<name>', help: 'new display name' }, ...SECRET_FLAGS },
    examples: ['echo -n "n3w" | ferry password update jane@example.com --password-stdin'],
    async run(ctx, [email = ''], f) {
      const hashed = await hashFromFlags(ctx, f);
      const res = await ctx.api.updatePassword({ email, newHash: hashed ?? new Uint8Array(), newUsername: str(f.username) });
      if (res.notFound) throw new AdminFailure(`no password for ${JSON.stringify(email)}`);
      ctx.print(`updated password for ${email}`, { email, updated: true });
    },
  },
  {
    group: 'password',
    verb: 'delete',
    summary: 'Delete a password-DB user',
    args: ['email'],
    flags: {},
    async run(ctx, [email = '']) {
      const res = await ctx.api.deletePassword({ email });
      if (res.notFound) throw new AdminFailure(`no password for ${JSON.stringify(email)}`);
      ctx.print(`deleted password for ${email}`, { email, deleted: true });
    },
  },
  {
    group: 'password',
    verb: 'verify',
    summary: 'Check a password (read from stdin); exit 0 when it matches, 1 otherwise',
    args: ['email'],
    flags: { 'password-stdin': { type: 'boolean', help: 'read the password from stdin (required)' } },
    examples: ['echo -n "s3cret" | ferry password verify jane@example.com --password-stdin'],
    async run(ctx, [email = ''], f) {
      if (!f['password-stdin']) throw new AdminFailure('verify reads the password from stdin: add --password-stdin');
      const res = await ctx.api.verifyPassword({ email, password: await readPassword(ctx) });
      if (res.notFound) throw new AdminFailure(`no password for ${JSON.stringify(email)}`);
      if (!res.verified) throw new AdminFailure(`password does not match for ${email}`);
      ctx.print(`password matches for ${email}`, { email, verified: true });
    },
  },
];
