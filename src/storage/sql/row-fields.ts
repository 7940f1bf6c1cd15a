/**
 * Small readers and writers shared by the SQL format (./dex-format.ts): logical row values -> entity fields with
 * the defaults dex's Go zero values imply, and the `ferry_ext` JSON of Ferry-only fields.
 */

import type { Claims } from '../types.js';
import type { Field } from '../document/fields.js';
import { goZero } from './columns.js';

export type Row = Record<string, unknown>;

export const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
export const flag = (v: unknown): boolean => v === true;
export const time = (v: unknown): Date => (v instanceof Date ? new Date(v.getTime()) : goZero());
export const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A JSON list of strings; dex writes `null` for an empty (nil) list. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
export const stringsOrNull = (l: readonly string[]): string[] | null => (l.length === 0 ? null : [...l]);

/** Bytes as a plain Uint8Array (the entity contract), or null. */
export const bytesOrNull = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? Uint8Array.from(v) : null);
export const bytes = (v: unknown): Uint8Array => bytesOrNull(v) ?? new Uint8Array(0);
export const toBytes = (v: Uint8Array | null): Buffer | null => (v === null ? null : Buffer.from(v));
export const utf8 = (v: unknown): string => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : text(v));

export const claimsRow = (c: Claims): Row => ({
  claims_user_id: c.userId,
  claims_username: c.username,
  claims_preferred_username: c.preferredUsername,
  claims_email: c.email,
  claims_email_verified: c.emailVerified,
  claims_groups: stringsOrNull(c.groups),
});

export const claimsOf = (r: Row): Claims => ({
  userId: text(r.claims_user_id),
  username: text(r.claims_username),
  preferredUsername: text(r.claims_preferred_username),
  email: text(r.claims_email),
  emailVerified: flag(r.claims_email_verified),
  groups: strings(r.claims_groups),
});

export const pkceRow = (p: { codeChallenge: string; codeChallengeMethod: string }): Row => ({
  code_challenge: p.codeChallenge,
  code_challenge_method: p.codeChallengeMethod,
});
export const pkceOf = (r: Row) => ({ codeChallenge: text(r.code_challenge), codeChallengeMethod: text(r.code_challenge_method) });

/**
 * The `ferry_ext` column of Ferry-only fields: JSON text through `field`, or NULL when every field has its default
 * (so rows Ferry writes for plain dex objects look like dex's own).
 */
export function extColumn<T>(field: Field<T>): { write(value: T): string | null; read(v: unknown): T } {
  const defaults = JSON.stringify(field.enc(field.dec({})));
  return {
    write: (value) => {
      const json = JSON.stringify(field.enc(value));
      return json === defaults ? null : json;
    },
    read: (v) => {
      if (typeof v !== 'string' || v === '') return field.dec({});
      try {
        return field.dec(JSON.parse(v));
      } catch {
        return field.dec({});
      }
    },
  };
}
