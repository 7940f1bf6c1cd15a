/** Shared pieces of the SaaS connector tests: deps, scopes, and the "failed cleanly, leaked nothing" check. */

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { ConnectorError, UserNotInRequiredGroupsError, UserRefusedError } from '../../../src/lib/errors.js';
import { createLogger, type Logger } from '../../../src/lib/logger.js';
import { errorPage } from '../../../src/server/responses/error-page.js';
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

/**
 * Asserts `err` is a typed connector failure that leaks nothing, of the `kind` the scenario causes:
 * `refused` (`UserRefusedError`: the user's or the request's doing; a 4xx page), `groups`
 * (`UserNotInRequiredGroupsError`; 403), `upstream` (`ConnectorError`: upstream trouble; 502), or `connector`
 * (either of the first and last, for scenarios that do not pin it).
 */
export type FailureKind = 'connector' | 'refused' | 'upstream' | 'groups';

export function assertClean(err: unknown, secrets: string[], kind: FailureKind = 'connector'): true {
  const ok = kind === 'groups' ? err instanceof UserNotInRequiredGroupsError
    : kind === 'refused' ? err instanceof UserRefusedError
    : kind === 'upstream' ? err instanceof ConnectorError
    : err instanceof ConnectorError || err instanceof UserRefusedError;
  assert.ok(ok, `expected a ${kind} error, got ${inspect(err)}`);
  // The browser flow's one mapping (error-page.ts): the user's or request's doing is a 4xx, upstream trouble a 502.
  const { status } = errorPage(err, 'Upstream');
  if (kind === 'refused' || kind === 'groups') assert.ok(status >= 400 && status < 500, `${kind}: page status ${status}`);
  if (kind === 'upstream') assert.equal(status, 502);
  const text = `${(err as Error).message} ${inspect(err, { depth: 5 })}`;
  assert.ok(!text.includes(SIM_UPSTREAM_BODY), `the upstream body leaked: ${text}`);
  for (const s of secrets) assert.ok(!text.includes(s), `a secret leaked: ${s}`);
  assert.doesNotMatch(text, /\b(?:at|rt|code)_[\w-]{20,}/, 'an upstream token or code leaked');
  return true;
}

/** `rejectsClean(p, kind)`: asserts `p` rejects with an error `assertClean` accepts; `secrets` may be read late. */
export function cleanRejection(secrets: string[] | (() => string[])) {
  return (p: Promise<unknown>, kind: FailureKind = 'connector') =>
    assert.rejects(p, (e) => assertClean(e, typeof secrets === 'function' ? secrets() : secrets, kind));
}

/** Refreshes `id` through `conn`, which must be a refresh connector. */
export function refreshIdentity(conn: Connector, id: Identity, scopes: Scopes = OFFLINE): Promise<Identity> {
  assert.ok(isRefreshConnector(conn));
  return conn.refresh(scopes, id);
}
