/** `storage.config` of the `sqlite3` backend (dex v2.45.1 `storage/sql/sqlite.go` `SQLite3`): `file`, a path or `:memory:`. */

import { z } from 'zod';
import { parsePluginConfig } from '../../lib/plugin-config.js';

export interface SqliteConfig {
  /** Database file path, or `:memory:`. */
  file: string;
}

const REQUIRED = 'a database file is required (a path, or ":memory:")';
const schema = z.object({ file: z.string({ error: REQUIRED }).min(1, REQUIRED) });

export const parseSqliteConfig = (raw: unknown, path: string, strict = false): SqliteConfig => parsePluginConfig(schema, raw, path, strict);
