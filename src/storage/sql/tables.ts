/**
 * Where each kind lives in a SQL store: dex v2.45.1's table and columns (`storage/sql/crud.go` at that tag) for
 * dex's kinds, Ferry's `ferry_document` sidecar for the kinds dex has no place for (`FERRY_ONLY_KINDS`).
 *
 * `ferry_ext` is a column Ferry adds to some of dex's tables for the fields dex v2.45.1 has no column for (as JSON
 * text; NULL in rows dex wrote). dex names its columns in every statement, so it never reads it, and inserts
 * from dex leave it NULL.
 */

import { FERRY_ONLY_KINDS, type DocumentKind, type FerryOnlyKind, type RecordPart } from '../document/backend.js';
import type { ColumnType } from './columns.js';

export interface TableSpec {
  table: string;
  /** Primary-key columns, in order; `keyValues` splits a storage key into their values. */
  keys: readonly string[];
  keyValues(key: string): unknown[];
  /** Every column Ferry reads and writes, with its encoding (key columns included). */
  columns: Readonly<Record<string, ColumnType>>;
  /** The column garbage collection compares (absent: the kind is never collected). */
  expiry?: string;
  /** True for the sidecar: `expiry` is written from the entity's expiry, not from the row. */
  sidecar?: boolean;
  /**
   * Columns an optimistic compare-and-swap compares, NULL equal to NULL (absent: updates always lock the row).
   * Together they must change on every write, so that an unchanged row really is the caller's copy.
   */
  cas?: readonly string[];
  /**
   * Kinds read together with this one in a single statement (`getLinked`): for each, which of this table's columns
   * hold the linked table's key columns. A row whose linked row is missing reads with `null` for it.
   */
  links?: Partial<Record<DocumentKind, Readonly<Record<string, string>>>>;
  /** Columns (besides the keys) each part of a record is read from by `getPart` (../document/backend.ts). */
  parts?: Partial<Record<RecordPart, readonly string[]>>;
}

const single = (key: string): unknown[] => [key];
const claims = {
  claims_user_id: 'text',
  claims_username: 'text',
  claims_preferred_username: 'text',
  claims_email: 'text',
  claims_email_verified: 'bool',
  claims_groups: 'json',
} as const;
const pkce = { code_challenge: 'text', code_challenge_method: 'text' } as const;

/** The tables that gain a `ferry_ext` column. */
export const EXT_TABLES = ['client', 'auth_request', 'auth_code', 'refresh_token', 'offline_session', 'connector'] as const;

/** Ferry's table for kinds dex has no place for. */
export const SIDECAR_TABLE = 'ferry_document';

const dexTables: Record<Exclude<DocumentKind, FerryOnlyKind>, TableSpec> = {
  client: {
    table: 'client',
    keys: ['id'],
    keyValues: single,
    columns: { id: 'text', secret: 'text', redirect_uris: 'json', trusted_peers: 'json', public: 'bool', name: 'text', logo_url: 'text', ferry_ext: 'text' },
  },
  auth_request: {
    table: 'auth_request',
    keys: ['id'],
    keyValues: single,
    expiry: 'expiry',
    columns: {
      id: 'text', client_id: 'text', response_types: 'json', scopes: 'json', redirect_uri: 'text', nonce: 'text', state: 'text',
      force_approval_prompt: 'bool', logged_in: 'bool', ...claims, connector_id: 'text', connector_data: 'bytes',
      expiry: 'time', ...pkce, hmac_key: 'bytes', ferry_ext: 'text',
    },
  },
  auth_code: {
    table: 'auth_code',
    keys: ['id'],
    keyValues: single,
    expiry: 'expiry',
    columns: {
      id: 'text', client_id: 'text', scopes: 'json', nonce: 'text', redirect_uri: 'text', ...claims,
      connector_id: 'text', connector_data: 'bytes', expiry: 'time', ...pkce, ferry_ext: 'text',
    },
  },
  refresh_token: {
    table: 'refresh_token',
    keys: ['id'],
    keyValues: single,
    cas: ['token', 'obsolete_token', 'last_used'],
    // The refresh grant's connector data lives on the user's OfflineSessions (dex keys it by user and connector).
    links: { offline_session: { user_id: 'claims_user_id', conn_id: 'connector_id' } },
    columns: {
      id: 'text', client_id: 'text', scopes: 'json', nonce: 'text', ...claims, connector_id: 'text', connector_data: 'bytes',
      token: 'text', obsolete_token: 'text', created_at: 'time', last_used: 'time', ferry_ext: 'text',
    },
  },
  password: {
    table: 'password',
    keys: ['email'],
    keyValues: single,
    columns: {
      email: 'text', hash: 'bytes', username: 'text', preferred_username: 'text', user_id: 'text', groups: 'json', name: 'text', email_verified: 'bool',
    },
  },
  offline_session: {
    table: 'offline_session',
    keys: ['user_id', 'conn_id'],
    keyValues: (key) => JSON.parse(key) as unknown[],
    cas: ['refresh', 'connector_data', 'ferry_ext'],
    // The refresh grant reads the connector data alone: `refresh` can hold hundreds of references (docs/devices.md).
    parts: { connectorData: ['connector_data'] },
    columns: { user_id: 'text', conn_id: 'text', refresh: 'json-text', connector_data: 'bytes', ferry_ext: 'text' },
  },
  connector: {
    table: 'connector',
    keys: ['id'],
    keyValues: single,
    columns: { id: 'text', type: 'text', name: 'text', resource_version: 'text', config: 'bytes', ferry_ext: 'text' },
  },
  keys: {
    table: 'keys',
    keys: ['id'],
    keyValues: single,
    columns: { id: 'text', verification_keys: 'json', signing_key: 'json', signing_key_pub: 'json', next_rotation: 'time' },
  },
  device_request: {
    table: 'device_request',
    keys: ['user_code'],
    keyValues: single,
    expiry: 'expiry',
    columns: { user_code: 'text', device_code: 'text', client_id: 'text', client_secret: 'text', scopes: 'json', expiry: 'time' },
  },
  device_token: {
    table: 'device_token',
    keys: ['device_code'],
    keyValues: single,
    expiry: 'expiry',
    columns: {
      device_code: 'text', status: 'text', token: 'bytes', expiry: 'time', last_request: 'time', poll_interval: 'int', ...pkce,
    },
  },
};

const sidecar = (kind: DocumentKind): TableSpec => ({
  table: SIDECAR_TABLE,
  keys: ['kind', 'id'],
  keyValues: (key) => [kind, key],
  expiry: 'expiry',
  sidecar: true,
  columns: { kind: 'text', id: 'text', doc: 'text', expiry: 'ms' },
});

/** The table spec of every kind. */
export const TABLES: Readonly<Record<DocumentKind, TableSpec>> = {
  ...dexTables,
  ...(Object.fromEntries(FERRY_ONLY_KINDS.map((k) => [k, sidecar(k)])) as Record<FerryOnlyKind, TableSpec>),
};
