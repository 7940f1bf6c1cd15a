/**
 * dex v2.45.1's SQL schema migrations (`storage/sql/migrate.go` at that tag), so a new store gets exactly the
 * schema dex would create and an existing dex store is recognised by its `migrations` table.
 *
 * dex keeps ONE ordered list; an entry may be limited to one flavour, and each flavour numbers the entries it runs
 * 1, 2, 3... in order. Statements are written once in dex's PostgreSQL spelling and rewritten per flavour as dex
 * does (`storage/sql/sql.go`, `flavor.queryReplacers`): SQLite turns `boolean` into `integer`, `bytea` into
 * `blob`, `timestamptz` into `timestamp` and `now()` into `date('now')`; MySQL turns `bytea` into `blob`,
 * `timestamptz` into `datetime(3)`, `text` into `varchar(384)`, quotes `keys`/`groups` (reserved words in MySQL 8)
 * and replaces Go's zero time by MySQL's smallest datetime. After migration k, `migrations` holds rows 1..k.
 */

export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

interface DexMigration {
  flavor?: SqlDialectName;
  stmts: readonly string[];
}

const claimsCols = `claims_user_id text not null, claims_username text not null, claims_email text not null,
  claims_email_verified boolean not null, claims_groups bytea not null`;

const addCol = (table: string, def: string): string => `alter table ${table} add column ${def};`;

const passwordAdditions = (flavor: SqlDialectName): DexMigration[] => {
  const groups: Record<SqlDialectName, string[]> = {
    postgres: [addCol('password', `groups bytea not null default convert_to('[]', 'UTF8')`)],
    sqlite: [addCol('password', `groups bytea not null default '[]'`)],
    mysql: [addCol('password', 'groups bytea'), `update password set groups = '[]' where groups is null;`, 'alter table password modify column groups bytea not null;'],
  };
  return [
    { flavor, stmts: [addCol('password', `preferred_username text not null default ''`), ...groups[flavor]] },
  ];
};

/** dex's list, in dex's order. */
const DEX_MIGRATIONS: readonly DexMigration[] = [
  {
    stmts: [
      `create table client (id text not null primary key, secret text not null, redirect_uris bytea not null,
        trusted_peers bytea not null, public boolean not null, name text not null, logo_url text not null);`,
      `create table auth_request (id text not null primary key, client_id text not null, response_types bytea not null,
        scopes bytea not null, redirect_uri text not null, nonce text not null, state text not null,
        force_approval_prompt boolean not null, logged_in boolean not null, ${claimsCols},
        connector_id text not null, connector_data bytea, expiry timestamptz not null);`,
      `create table auth_code (id text not null primary key, client_id text not null, scopes bytea not null,
        nonce text not null, redirect_uri text not null, ${claimsCols},
        connector_id text not null, connector_data bytea, expiry timestamptz not null);`,
      `create table refresh_token (id text not null primary key, client_id text not null, scopes bytea not null,
        nonce text not null, ${claimsCols}, connector_id text not null, connector_data bytea);`,
      `create table password (email text not null primary key, hash bytea not null, username text not null,
        user_id text not null);`,
      `create table keys (id text not null primary key, verification_keys bytea not null, signing_key bytea not null,
        signing_key_pub bytea not null, next_rotation timestamptz not null);`,
    ],
  },
  {
    stmts: [
      addCol('refresh_token', `token text not null default ''`),
      addCol('refresh_token', `created_at timestamptz not null default '0001-01-01 00:00:00 UTC'`),
      addCol('refresh_token', `last_used timestamptz not null default '0001-01-01 00:00:00 UTC'`),
    ],
  },
  {
    stmts: [
      `create table offline_session (user_id text not null, conn_id text not null, refresh bytea not null,
        PRIMARY KEY (user_id, conn_id));`,
    ],
  },
  {
    stmts: [
      `create table connector (id text not null primary key, type text not null, name text not null,
        resource_version text not null, config bytea);`,
    ],
  },
  {
    stmts: ['auth_code', 'auth_request', 'refresh_token'].map((t) => addCol(t, `claims_preferred_username text not null default ''`)),
  },
  { stmts: [addCol('offline_session', 'connector_data bytea')] },
  { flavor: 'mysql', stmts: ['alter table auth_request modify column state varchar(4096);'] },
  {
    stmts: [
      `create table device_request (user_code text not null primary key, device_code text not null,
        client_id text not null, client_secret text, scopes bytea not null, expiry timestamptz not null);`,
      `create table device_token (device_code text not null primary key, status text not null, token bytea,
        expiry timestamptz not null, last_request timestamptz not null, poll_interval integer not null);`,
    ],
  },
  {
    stmts: ['auth_request', 'auth_code'].flatMap((t) => [
      addCol(t, `code_challenge text not null default ''`),
      addCol(t, `code_challenge_method text not null default ''`),
    ]),
  },
  { stmts: [addCol('refresh_token', `obsolete_token text default ''`)] },
  {
    stmts: [
      addCol('device_token', `code_challenge text not null default ''`),
      addCol('device_token', `code_challenge_method text not null default ''`),
    ],
  },
  { stmts: [addCol('auth_request', 'hmac_key bytea')] },
  ...passwordAdditions('postgres'),
  ...passwordAdditions('sqlite'),
  ...passwordAdditions('mysql'),
  ...(['postgres', 'sqlite', 'mysql'] as const).map((flavor) => ({
    flavor,
    stmts: [addCol('password', `name text not null default ''`), addCol('password', 'email_verified boolean')],
  })),
];

const word = (w: string): RegExp => new RegExp(`\\b${w}\\b`, 'g');

/** A statement in `dialect`'s spelling, as dex's flavour rewrites it. */
export function translate(stmt: string, dialect: SqlDialectName): string {
  if (dialect === 'sqlite') {
    return stmt
      .replace(word('true'), '1')
      .replace(word('false'), '0')
      .replace(word('boolean'), 'integer')
      .replace(word('bytea'), 'blob')
      .replace(word('timestamptz'), 'timestamp')
      .replace(/\bnow\(\)/g, "date('now')");
  }
  if (dialect === 'mysql') {
    return stmt
      .replace(word('bytea'), 'blob')
      .replace(word('timestamptz'), 'datetime(3)')
      .replace(word('text'), 'varchar(384)')
      .replace(/\b(keys|groups)\b/g, '`$1`')
      .replace(/0001-01-01 00:00:00 UTC/g, '1000-01-01 00:00:00');
  }
  return stmt;
}

/** The migrations `dialect` runs, numbered from 1, with statements in its spelling. */
export function dexMigrations(dialect: SqlDialectName): { num: number; stmts: string[] }[] {
  return DEX_MIGRATIONS.filter((m) => m.flavor === undefined || m.flavor === dialect).map((m, i) => ({
    num: i + 1,
    stmts: m.stmts.map((s) => translate(s, dialect)),
  }));
}

/** dex's bookkeeping table and the row a migration adds (`at` is the server's clock, as in dex). */
export const MIGRATIONS_TABLE = 'create table if not exists migrations (num integer not null, at timestamptz not null);';
export const MIGRATION_ROW = 'insert into migrations (num, at) values ($1, now());';
