/**
 * Password-DB RPCs (dex master (ab64ed77) `server/apiserver/passwords.go`): Create, Update, Delete, List, Verify.
 * Hashes must be bcrypt with a cost of 10..16 (dex `passwords.CheckCost`); List never returns hashes; Verify runs
 * bcrypt on libuv's thread pool, at most one per core (src/lib/password-hashing.ts). Static passwords from the
 * config are read-only.
 */

import type { ServiceImpl } from '@connectrpc/connect';
import { verifyPassword } from '../lib/password-hashing.js';
import type { Password } from '../storage/types.js';
import { bytesToText } from './convert.js';
import type { ApiDeps } from './deps.js';
import { invalidArgument, recover } from './errors.js';
import type { Dex } from './gen/api_pb.js';

type PasswordRpcs = Pick<
  ServiceImpl<typeof Dex>,
  'createPassword' | 'updatePassword' | 'deletePassword' | 'listPasswords' | 'verifyPassword'
>;

const MIN_COST = 10;
const MAX_COST = 16;
const RECOMMENDED_COST = 12;
const BCRYPT = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** The hash as text when it is a bcrypt hash of an accepted cost; otherwise an InvalidArgument error (dex's texts). */
export function checkBcryptHash(bytes: Uint8Array): string {
  const hash = bytesToText(bytes);
  const m = hash === null ? null : BCRYPT.exec(hash);
  if (hash === null || !m) throw invalidArgument('parsing bcrypt hash: not a bcrypt hash');
  const cost = Number(m[1]);
  if (cost < MIN_COST) {
    throw invalidArgument(`given hash cost = ${cost} does not meet minimum cost requirement = ${MIN_COST}`);
  }
  if (cost > MAX_COST) {
    throw invalidArgument(
      `given hash cost = ${cost} is above upper bound cost = ${MAX_COST}, recommended cost = ${RECOMMENDED_COST}`,
    );
  }
  return hash;
}

export function passwordRpcs(deps: ApiDeps): PasswordRpcs {
  const { storage } = deps;
  return {
    async createPassword(req) {
      const w = req.password;
      if (!w) throw invalidArgument('no password supplied');
      if (w.email === '') throw invalidArgument('no email supplied');
      if (w.userId === '') throw invalidArgument('no user ID supplied');
      if (w.hash.length === 0) throw invalidArgument('no hash of password supplied');
      const password: Password = {
        email: w.email,
        hash: checkBcryptHash(w.hash),
        username: w.username,
        userId: w.userId,
        preferredUsername: '',
        groups: [],
        name: '',
        emailVerified: null,
      };
      const create = async () => {
        await storage.createPassword(password);
        return {};
      };
      return recover(create, 'ERR_ALREADY_EXISTS', { alreadyExists: true });
    },

    async updatePassword(req) {
      if (req.email === '') throw invalidArgument('no email supplied');
      if (req.newHash.length === 0 && req.newUsername === '') throw invalidArgument('nothing to update');
      const newHash = req.newHash.length > 0 ? checkBcryptHash(req.newHash) : null;
      const update = async () => {
        await storage.updatePassword(req.email, (old) => ({
          ...old,
          ...(newHash !== null && { hash: newHash }),
          ...(req.newUsername !== '' && { username: req.newUsername }),
        }));
        return {};
      };
      return recover(update, 'ERR_NOT_FOUND', { notFound: true });
    },

    async deletePassword(req) {
      if (req.email === '') throw invalidArgument('no email supplied');
      const remove = async () => {
        await storage.deletePassword(req.email);
        return {};
      };
      return recover(remove, 'ERR_NOT_FOUND', { notFound: true });
    },

    async listPasswords() {
      const passwords = await storage.listPasswords();
      return { passwords: passwords.map((p) => ({ email: p.email, username: p.username, userId: p.userId })) };
    },

    async verifyPassword(req) {
      if (req.email === '') throw invalidArgument('no email supplied');
      if (req.password === '') throw invalidArgument('no password to verify supplied');
      const check = async () => {
        const stored = await storage.getPassword(req.email);
        const verified = await verifyPassword(req.password, stored.hash);
        return { verified };
      };
      return recover(check, 'ERR_NOT_FOUND', { notFound: true });
    },
  };
}
