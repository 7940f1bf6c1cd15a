/** Shared pieces of the SaaS connector tests: deps, scopes, and the "failed cleanly, leaked nothing" check. */

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { ConnectorError, UserNotInRequiredGroupsError } from '../../../src/lib/errors.js';
import { createLogger, type Logger } from '../../../src/lib/logger.js';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import type { Connector, ConnectorDeps, Identity, Scopes } from '../../../src/connectors/types.js';
import { SIM_UPSTREAM_BODY } from '../../sim/api-sim.js';
import { SIM_ISSUER } from '../../sim/callback-login.js';

export const PLAIN: Scopes = { offlineAccess: false, groups: false };
export const GROUPS: Scopes = { offlineAccess: false, groups: true };
export const OFFLINE: Scopes = { offlineAccess: true, groups: true };

/** A logger that keeps every line, so tests can assert what was (not) logged. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', format: 'json', destination }), lines };
}

export function simDeps(logger?: Logger): ConnectorDeps & { lines: string[] } {
  const rec = recordingLogger();
  return { logger: logger ?? rec.logger, now: () => new Date(), issuer: SIM_ISSUER, lines: rec.lines };
}

/** Asserts `err` is a `ConnectorError` (or `UserNotInRequiredGroupsError` when `kind` says so) that leaks nothing. */
export function assertClean(err: unknown, secrets: string[], kind: 'connector' | 'groups' = 'connector'): true {
  const expected = kind === 'groups' ? UserNotInRequiredGroupsError : ConnectorError;
  assert.ok(err instanceof expected, `expected ${expected.name}, got ${inspect(err)}`);
  const text = `${(err as Error).message} ${inspect(err, { depth: 5 })}`;
  assert.ok(!text.includes(SIM_UPSTREAM_BODY), `the upstream body leaked: ${text}`);
  for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked: ${s}`);
  assert.doesNotMatch(text, /\b(?:at|rt|code)_[\w-]{20,}/, 'an upstream token or code leaked');
  return true;
}

/** `rejectsClean(p, kind)`: asserts `p` rejects with an error `assertClean` accepts; `secrets` may be read late. */
export function cleanRejection(secrets: string[] | (() => string[])) {
  return (p: Promise<unknown>, kind: 'connector' | 'groups' = 'connector') =>
    assert.rejects(p, (e) => assertClean(e, typeof secrets === 'function' ? secrets() : secrets, kind));
}

/** Refreshes `id` through `conn`, which must be a refresh connector. */
export function refreshIdentity(conn: Connector, id: Identity, scopes: Scopes = OFFLINE): Promise<Identity> {
  assert.ok(isRefreshConnector(conn));
  return conn.refresh(scopes, id);
}
