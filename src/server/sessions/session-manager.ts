/**
 * The browser session (dex HEAD server/session/session.go): one per browser, named by the session cookie
 * (session-cookie.ts), stored as an AuthSession shared by every replica. `current` returns the live session this
 * browser proves (secret compared in constant time: the id is published as `sid` and proves nothing); a cookie that
 * does not decode, names nothing or fails the proof is cleared, an expired session is deleted on sight.
 * `establish` records a completed login: the browser's session is updated when it belongs to the same user and
 * connector, otherwise the old one is deleted and a new one created (a second device never joins the first one's
 * session). Disabled (`DEX_SESSIONS_ENABLED=false`: no `sessions` config) every method is a no-op / null.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionsConfig } from '../../config/types.js';
import { NotFoundError } from '../../lib/errors.js';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import { newId } from '../../storage/ids.js';
import type { AuthRequest, AuthSession, Client, ClientAuthState } from '../../storage/types.js';
import { flowCookies } from '../http/flow-cookies.js';
import { clearSessionCookie, decodeSessionCookie, encodeSessionCookie, setSessionCookie, type CookieSettings } from './session-cookie.js';
import { sharesWith } from './sso.js';
import { own } from '../../lib/own.js';

export interface SessionManagerDeps {
  /** null = sessions off. */
  config: SessionsConfig | null;
  storage: Storage;
  logger: Logger;
  now: () => Date;
  issuer: string;
  /** The client's address as the server trusts it (throttle/client-address.ts). */
  addressOf: (req: FastifyRequest) => string;
}

/** Why a session is over at `now`, or '' while it lives. */
export function expiryReason(s: Pick<AuthSession, 'absoluteExpiry' | 'idleExpiry'>, now: Date): string {
  if (s.absoluteExpiry.getTime() > 0 && now > s.absoluteExpiry) return 'absolute lifetime';
  if (s.idleExpiry.getTime() > 0 && now > s.idleExpiry) return 'idle timeout';
  return '';
}

/** Thrown inside a session update to leave a session that is not the caller's untouched. */
class NotOurs extends Error {}

/** `old` with `clientId`'s activity at `at` (see `touchClient`). */
function touched(cfg: SessionsConfig, old: AuthSession, clientId: string, at: Date, via: ClientAuthState | undefined, issued: boolean): AuthSession {
  const prev = own(old.clientStates, clientId) ?? via;
  const next = prev ? { ...prev, lastActivity: at, ...(issued ? { lastTokenIssuedAt: at } : {}) } : null;
  const states = next ? { ...old.clientStates, [clientId]: next } : old.clientStates;
  const idle = Math.min(at.getTime() + cfg.validIfNotUsedFor, old.absoluteExpiry.getTime());
  return { ...old, clientStates: states, lastActivity: at, idleExpiry: new Date(idle) };
}

export class SessionManager {
  readonly enabled: boolean;
  readonly config: SessionsConfig | null;
  private readonly cookie: CookieSettings;
  private readonly deps: SessionManagerDeps;

  constructor(deps: SessionManagerDeps) {
    this.deps = deps;
    this.config = deps.config ?? null;
    this.enabled = this.config !== null;
    const { path, secure } = flowCookies(deps.issuer);
    this.cookie = {
      name: this.config?.cookieName ?? 'dex_session',
      key: Buffer.from(this.config?.cookieEncryptionKey ?? '', 'utf8'),
      path,
      secure,
      maxAge: Math.floor((this.config?.absoluteLifetime ?? 0) / 1000),
    };
  }

  /** The initial state of the password form's "remember me" box (`sessions.rememberMeCheckedByDefault`). */
  get rememberMeDefault(): boolean {
    return this.config?.rememberMeCheckedByDefault ?? false;
  }

  /** The browser's cookie, decoded, or null (absent, malformed, sealed with another key). */
  private parse(req: FastifyRequest): { id: string; secret: string } | null {
    const raw = req.cookies[this.cookie.name];
    return typeof raw === 'string' ? decodeSessionCookie(raw, this.cookie.key) : null;
  }

  clearCookie(reply: FastifyReply): void {
    if (this.enabled) clearSessionCookie(reply, this.cookie);
  }

  /** The live session of this browser, or null. Bad cookies are cleared, expired sessions deleted. */
  async current(req: FastifyRequest, reply: FastifyReply): Promise<AuthSession | null> {
    if (!this.enabled) return null;
    const raw = req.cookies[this.cookie.name];
    if (typeof raw !== 'string' || raw === '') return null;
    const parsed = this.parse(req);
    const session = parsed ? await this.load(parsed.id) : null;
    if (!parsed || !session || !constantTimeEqual(session.secret, parsed.secret)) {
      this.clearCookie(reply);
      return null;
    }
    const reason = expiryReason(session, this.deps.now());
    if (reason) {
      this.deps.logger.info({ session_id: session.id, user_id: session.userId, reason }, 'auth session expired');
      await this.deps.storage.deleteAuthSession(session.id).catch(() => undefined);
      this.clearCookie(reply);
      return null;
    }
    return session;
  }

  private async load(id: string): Promise<AuthSession | null> {
    try {
      return await this.deps.storage.getAuthSession(id);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /**
   * Records a completed login of `authReq` (logged in, with claims) on this browser's session and sets the cookie.
   * Returns the session. The user's identity is the caller's to record first (`recordIdentity`, which also
   * refuses a locked one).
   */
  async establish(req: FastifyRequest, reply: FastifyReply, authReq: AuthRequest, opts: { rememberMe: boolean }): Promise<AuthSession> {
    const cfg = this.requireConfig();
    const now = this.deps.now();
    const userId = authReq.claims.userId;
    const state: ClientAuthState = { authenticatedAt: now, lastActivity: now, lastTokenIssuedAt: null, viaSSO: false };
    const seen = { ipAddress: this.deps.addressOf(req), userAgent: String(req.headers['user-agent'] ?? '').slice(0, 512) };
    const current = await this.current(req, reply);
    let session: AuthSession;
    if (current && current.userId === userId && current.connectorId === authReq.connectorId) {
      session = await this.deps.storage.updateAuthSession(current.id, (old) => ({
        ...old,
        ...seen,
        lastActivity: now,
        idleExpiry: new Date(Math.min(now.getTime() + cfg.validIfNotUsedFor, old.absoluteExpiry.getTime())),
        clientStates: { ...old.clientStates, [authReq.clientId]: state },
      }));
    } else {
      if (current) await this.deps.storage.deleteAuthSession(current.id).catch(() => undefined);
      session = {
        id: newId(),
        secret: newId(),
        userId,
        connectorId: authReq.connectorId,
        clientStates: { [authReq.clientId]: state },
        createdAt: now,
        lastActivity: now,
        ...seen,
        absoluteExpiry: new Date(now.getTime() + cfg.absoluteLifetime),
        idleExpiry: new Date(now.getTime() + cfg.validIfNotUsedFor),
        logoutState: null,
      };
      await this.deps.storage.createAuthSession(session);
    }
    setSessionCookie(reply, this.cookie, encodeSessionCookie(session.id, session.secret, this.cookie.key), opts.rememberMe);
    return session;
  }

  /**
   * Marks activity of `clientId` in session `sessionId` at `at` (a token was issued, or the session was reused):
   * pushes the idle expiry out, adds the client (with `via`) when it has no state yet, and with `issued` records
   * the token's time. A gone session is ignored.
   */
  async touchClient(sessionId: string, clientId: string, at: Date, via?: ClientAuthState, opts: { issued?: boolean } = {}): Promise<void> {
    const cfg = this.config;
    if (!cfg || !sessionId) return;
    await this.deps.storage.updateAuthSession(sessionId, (old) => touched(cfg, old, clientId, at, via, opts.issued === true)).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  }

  /** The id of this browser's live session when it belongs to the request's user and connector, else ''. */
  async sessionIdFor(req: FastifyRequest, reply: FastifyReply, authReq: AuthRequest): Promise<string> {
    const s = await this.current(req, reply);
    return s && s.userId === authReq.claims.userId && s.connectorId === authReq.connectorId ? s.id : '';
  }

  /**
   * `sessionIdFor` then `touchClient(…, { issued: true })`, as one read-modify-write when the cookie names a live
   * session of the request's user (the usual case right after a login); any other case takes the two steps, so
   * a bad cookie is still cleared and an expired session deleted. Returns the session id, or ''.
   */
  async issuedFor(req: FastifyRequest, reply: FastifyReply, authReq: AuthRequest, at: Date): Promise<string> {
    const cfg = this.config;
    const parsed = cfg ? this.parse(req) : null;
    if (cfg && parsed) {
      const ours = (old: AuthSession) =>
        constantTimeEqual(old.secret, parsed.secret) && expiryReason(old, this.deps.now()) === '' &&
        old.userId === authReq.claims.userId && old.connectorId === authReq.connectorId;
      try {
        const updater = (old: AuthSession) => {
          if (!ours(old)) throw new NotOurs();
          return touched(cfg, old, authReq.clientId, at, undefined, true);
        };
        return (await this.deps.storage.updateAuthSession(parsed.id, updater)).id;
      } catch (err) {
        if (!(err instanceof NotOurs) && !(err instanceof NotFoundError)) throw err;
      }
    }
    const id = await this.sessionIdFor(req, reply, authReq);
    await this.touchClient(id, authReq.clientId, at, undefined, { issued: true });
    return id;
  }

  /** Whether `source`'s SSO policy lets its sign-in be reused by client `targetId` (see sso.ts). */
  sharesWith(source: Client, targetId: string): boolean {
    return sharesWith(source, targetId, this.config?.ssoSharedWithDefault ?? 'none');
  }

  private requireConfig(): SessionsConfig {
    if (!this.config) throw new Error('sessions are disabled');
    return this.config;
  }
}
