/**
 * Several devices per user and client (docs/devices.md). dex keeps one refresh token per (user, connector, client):
 * `OfflineSessions.refresh[clientId]` names it and a new login deletes the previous one (dex v2.45.1
 * `server/handlers.go`, `handleAuthCode`). With sessions on, Ferry keeps one token per device instead, all in the
 * same dex-format map, so every reference stays an ordinary dex `RefreshTokenRef`:
 *
 * - the **primary** entry, key = the client id: the client's newest device. dex's refresh grant accepts only the
 *   token this entry names (v2.45.1 `server/refreshhandlers.go`, `updateOfflineSession`), so after a rollback to
 *   dex the newest device keeps working;
 * - **device** entries, key = `ferry-device:<token id>`, `ClientID` = the client: the older devices. dex's
 *   `ListRefresh` lists them (it reads `ClientID`, not the key); dex's refresh grant refuses their tokens.
 *
 * A device is a browser session (a new login from the same session replaces that session's token) or, without
 * a session, one code exchange. At most `DEVICES_PER_CLIENT` per user and client: the oldest (by creation) is
 * evicted. Pure functions: callers run them inside `updateOfflineSessions` and delete what they drop afterwards.
 */

import type { OfflineSessions, RefreshTokenRef } from '../../storage/types.js';

/** Devices (refresh tokens) kept per user, connector and client; the oldest beyond this are evicted. */
export const DEVICES_PER_CLIENT = 20;

const DEVICE_PREFIX = 'ferry-device:';

type Refs = Record<string, RefreshTokenRef>;

/** The client an entry belongs to (legacy entries may lack `ClientID`: then the key is the client). */
export const clientOfEntry = (key: string, ref: RefreshTokenRef): string => ref.clientId || key;

const isPrimary = (key: string, ref: RefreshTokenRef): boolean => !key.startsWith(DEVICE_PREFIX) || ref.clientId === '';

/** Every reference of `clientId`, newest first. */
export function devicesOf(refresh: Refs, clientId: string): RefreshTokenRef[] {
  return Object.entries(refresh)
    .filter(([key, ref]) => clientOfEntry(key, ref) === clientId)
    .map(([, ref]) => ref)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Rebuilds the map for one client from its references: the newest is the primary entry. */
function withClient(refresh: Refs, clientId: string, refs: RefreshTokenRef[]): Refs {
  const out: Refs = {};
  for (const [key, ref] of Object.entries(refresh)) if (clientOfEntry(key, ref) !== clientId) out[key] = ref;
  const sorted = [...refs].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  sorted.forEach((ref, i) => {
    // The reference itself when it already names the client: the SQL store remembers each one's text.
    out[i === 0 ? clientId : `${DEVICE_PREFIX}${ref.id}`] = ref.clientId === clientId ? ref : { ...ref, clientId };
  });
  return out;
}

export interface Change {
  refresh: Refs;
  /** References taken out of the map: their tokens are to be deleted. */
  dropped: RefreshTokenRef[];
}

/**
 * Links `ref` as the newest device of its client. `perDevice` false is dex's rule (every earlier token of the
 * client goes); true keeps the others, except one from the same browser session, and evicts beyond `cap`.
 */
export function addDevice(refresh: Refs, ref: RefreshTokenRef, perDevice: boolean, cap = DEVICES_PER_CLIENT): Change {
  const existing = devicesOf(refresh, ref.clientId).filter((r) => r.id !== ref.id);
  const sameDevice = (r: RefreshTokenRef) => !perDevice || (ref.sessionId !== '' && r.sessionId === ref.sessionId);
  const kept = existing.filter((r) => !sameDevice(r));
  const dropped = existing.filter(sameDevice);
  // Newest first: the ones past the cap (the new token counts) are the oldest.
  dropped.push(...kept.splice(Math.max(0, cap - 1)));
  return { refresh: withClient(refresh, ref.clientId, [ref, ...kept]), dropped };
}

/** Unlinks the token `id`; the client's newest remaining device becomes its primary entry. */
export function removeDevice(refresh: Refs, id: string): Change {
  const hit = Object.entries(refresh).find(([, ref]) => ref.id === id);
  if (hit === undefined) return { refresh, dropped: [] };
  const clientId = clientOfEntry(...hit);
  const rest = devicesOf(refresh, clientId).filter((r) => r.id !== id);
  return { refresh: withClient(refresh, clientId, rest), dropped: [hit[1]] };
}

/** Unlinks every device of `clientId`. */
export function removeClient(refresh: Refs, clientId: string): Change {
  return { refresh: withClient(refresh, clientId, []), dropped: devicesOf(refresh, clientId) };
}

/** The key of the entry naming token `id`, or null when the map does not name it (revoked or replaced). */
export function keyOfToken(refresh: Refs, id: string): string | null {
  return Object.entries(refresh).find(([, ref]) => ref.id === id)?.[0] ?? null;
}

/** Every reference with its client, sorted by client then newest first (for listings). */
export function listDevices(s: Pick<OfflineSessions, 'refresh'>): Array<RefreshTokenRef & { primary: boolean }> {
  return Object.entries(s.refresh)
    .map(([key, ref]) => ({ ...ref, clientId: clientOfEntry(key, ref), primary: isPrimary(key, ref) }))
    .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : b.createdAt.getTime() - a.createdAt.getTime()));
}
