/**
 * dex's refresh-token lock (dex v2.45.1 storage/kubernetes/lock.go): before refreshing, a dex replica puts the
 * annotation `dexidp.com/resource-lock: <RFC 3339 time, now + 10 s>` on the RefreshToken object and removes it
 * afterwards; other dex replicas wait while it is in the future. Ferry does not take this lock (its updates are
 * compare-and-swap on `resourceVersion`, which already makes a concurrent dex write lose and retry), but it waits
 * for it like a dex replica, so it does not refresh upstream while dex is doing so for the same token.
 */

import type { JsonObject } from '../etcd/go-json.js';

export const LOCK_ANNOTATION = 'dexidp.com/resource-lock';

/** How often a held lock is looked at again (dex's `lockCheckPeriod`). */
export const LOCK_POLL_MS = 100;

/** The instant the object's dex lock expires, or null when it carries none (or an unreadable one, which dex breaks). */
export function lockedUntil(object: JsonObject): Date | null {
  const annotations = (object.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  const value = annotations?.[LOCK_ANNOTATION];
  if (typeof value !== 'string') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
