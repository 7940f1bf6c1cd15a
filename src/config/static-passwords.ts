/**
 * `staticPasswords` (dex v2.45.1 `cmd/dex/config.go` `password`): `hash` is a bcrypt string or base64 of one, or comes from the
 * environment variable named by `hashFromEnv` (used when `hash` is empty). `name` defaults to `username`;
 * `emailVerified` left unset is `null`, which the password connector treats as true (as dex does).
 */

import { bcryptCost, LOGIN_BCRYPT_COST, loginAcceptsCost } from '../lib/bcrypt-cost.js';
import type { Password } from '../storage/types.js';
import type { BuildContext } from './build-context.js';
import { type Decoded, read } from './decode.js';

/** Shape of Go's `bcrypt.Cost` check: `$2$`/`$2a$`/`$2b$`/`$2y$`, two-digit cost 4..31, 53 more characters. */
const BCRYPT = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** True when `hash` looks like a bcrypt hash with a cost bcrypt accepts. */
export function isBcryptHash(hash: string): boolean {
  const m = BCRYPT.exec(hash);
  const cost = Number(m?.[1]);
  return m !== null && cost >= 4 && cost <= 31;
}

/** The bcrypt hash itself, or the decoded form of a base64-encoded one; `null` when neither. */
export function normalizeBcryptHash(hash: string): string | null {
  if (isBcryptHash(hash)) return hash;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(hash) || hash.length % 4 !== 0) return null;
  const decoded = Buffer.from(hash, 'base64').toString('latin1');
  return isBcryptHash(decoded) ? decoded : null;
}

export function buildStaticPasswords(tree: Decoded, ctx: BuildContext): Password[] {
  return read.objs(tree, 'staticPasswords').map(([i, p]) => {
    const path = `staticPasswords[${i}]`;
    let hash = read.str(p, 'hash');
    const envName = read.str(p, 'hashFromEnv');
    if (hash === '' && envName !== '') hash = ctx.env[envName] ?? '';
    const email = read.str(p, 'email');
    if (email === '') ctx.issues.push({ path: `${path}.email`, message: 'required' });
    let normalized: string | null = null;
    if (hash === '') {
      const message = envName ? `hashFromEnv: environment variable ${envName} is unset or empty` : 'no password hash provided';
      ctx.issues.push({ path: `${path}.hash`, message });
    } else {
      normalized = normalizeBcryptHash(hash);
      if (normalized === null) ctx.issues.push({ path: `${path}.hash`, message: 'malformed bcrypt hash' });
      else if (!loginAcceptsCost(bcryptCost(normalized))) {
        // Loaded as dex loads it (refusing it would break a config dex accepts), but nobody can log in with it.
        const { min, max } = LOGIN_BCRYPT_COST;
        ctx.warnings.push(`${path}.hash: bcrypt cost ${bcryptCost(normalized)} is outside ${min}..${max}; every login with it fails (as in dex): hash the password again with a cost from ${min} to ${max}`);
      }
    }
    const username = read.str(p, 'username');
    const verified = p['emailVerified'];
    return {
      email,
      hash: normalized ?? '',
      username,
      userId: read.str(p, 'userID'),
      preferredUsername: read.str(p, 'preferredUsername'),
      groups: read.strs(p, 'groups') ?? [],
      name: read.str(p, 'name') || username,
      emailVerified: typeof verified === 'boolean' ? verified : null,
    };
  });
}
