/**
 * What the home page shows a signed-in user (docs/devices.md): who they are, their browser sessions, the
 * applications connected to their account (refresh tokens, one per device, and sessions' client states), and their
 * second factors. Everything is read for the session's own user and connector; nothing from another user is
 * ever looked up here.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { AuthSession, Claims, OfflineSessions, UserIdentity } from '../../storage/types.js';
import { listDevices } from '../tokens/devices.js';

export interface HomeSession {
  id: string;
  current: boolean;
  userAgent: string;
  ipAddress: string;
  createdAt: Date;
  lastActivity: Date;
}

export interface HomeDevice {
  /** The refresh token's id (its grant id); never its secret. */
  id: string;
  createdAt: Date;
  lastUsed: Date;
  /** The browser session the token came from, when it is still alive. */
  session: HomeSession | null;
}

export interface HomeApp {
  clientId: string;
  name: string;
  devices: HomeDevice[];
  /** Signed in to through one of the user's live sessions. */
  viaSession: boolean;
  consented: boolean;
}

export interface HomeFactor {
  id: string;
  type: string;
  confirmed: boolean;
  createdAt: Date | null;
}

export interface HomeView {
  claims: Claims;
  connectorId: string;
  sessions: HomeSession[];
  apps: HomeApp[];
  factors: HomeFactor[];
  /** Unused backup codes left; null when none were ever generated. */
  backupCodesLeft: number | null;
}

const orNull = <T>(p: Promise<T>): Promise<T | null> =>
  p.catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });

/** The live sessions of the session's user on its connector (a scan, as dex's ListAuthSessions). */
export async function sessionsOfUser(storage: Storage, s: AuthSession, now: Date): Promise<AuthSession[]> {
  const all = await storage.listAuthSessions();
  const live = (x: AuthSession) => (x.absoluteExpiry.getTime() === 0 || x.absoluteExpiry > now) && (x.idleExpiry.getTime() === 0 || x.idleExpiry > now);
  return all.filter((x) => x.userId === s.userId && x.connectorId === s.connectorId && live(x));
}

function factorsOf(identity: UserIdentity | null): HomeFactor[] {
  if (identity === null) return [];
  const totp = Object.entries(identity.mfaSecrets).map(([id, m]) => ({ id, type: m.type, confirmed: m.confirmed, createdAt: m.createdAt }));
  const keys = Object.entries(identity.webauthnCredentials).flatMap(([id, creds]) =>
    creds.map((c, i) => ({ id: c.displayName || (creds.length > 1 ? `${id} #${i + 1}` : id), type: 'WebAuthn', confirmed: true, createdAt: c.createdAt })),
  );
  return [...totp, ...keys];
}

/** Backup codes (made by src/server/mfa) are read from the stored identity, so this page needs nothing of that feature. */
function backupCodesLeft(identity: UserIdentity | null): number | null {
  return identity?.backupCodes ? identity.backupCodes.hashes.length : null;
}

async function appsOf(storage: Storage, offline: OfflineSessions | null, sessions: HomeSession[], live: AuthSession[], identity: UserIdentity | null): Promise<HomeApp[]> {
  const apps = new Map<string, HomeApp>();
  const app = (clientId: string): HomeApp => {
    let a = apps.get(clientId);
    if (!a) apps.set(clientId, (a = { clientId, name: clientId, devices: [], viaSession: false, consented: false }));
    return a;
  };
  for (const ref of offline ? listDevices(offline) : []) {
    // The refresh grant records the time of use on the token itself.
    const token = await orNull(storage.getRefresh(ref.id));
    if (token === null) continue;
    const session = sessions.find((x) => x.id !== '' && x.id === ref.sessionId) ?? null;
    app(ref.clientId).devices.push({ id: ref.id, createdAt: ref.createdAt, lastUsed: token.lastUsed, session });
  }
  for (const s of live) for (const clientId of Object.keys(s.clientStates)) app(clientId).viaSession = true;
  for (const clientId of Object.keys(identity?.consents ?? {})) if (apps.has(clientId)) app(clientId).consented = true;
  for (const a of apps.values()) a.name = (await orNull(storage.getClient(a.clientId)))?.name || a.clientId;
  return [...apps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function homeView(storage: Storage, session: AuthSession, now: Date): Promise<HomeView> {
  const [identity, offline, live] = await Promise.all([
    orNull(storage.getUserIdentity(session.userId, session.connectorId)),
    orNull(storage.getOfflineSessions(session.userId, session.connectorId)),
    sessionsOfUser(storage, session, now),
  ]);
  const sessions = live
    .map((s) => ({ id: s.id, current: s.id === session.id, userAgent: s.userAgent, ipAddress: s.ipAddress, createdAt: s.createdAt, lastActivity: s.lastActivity }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActivity.getTime() - a.lastActivity.getTime());
  const claims = identity?.claims ?? { userId: session.userId, username: '', preferredUsername: '', email: '', emailVerified: false, groups: [] };
  return {
    claims,
    connectorId: session.connectorId,
    sessions,
    apps: await appsOf(storage, offline, sessions, live, identity),
    factors: factorsOf(identity),
    backupCodesLeft: backupCodesLeft(identity),
  };
}
