/**
 * Constant-time string comparison for secrets (client secrets, refresh-token secrets). Both sides are hashed first
 * so neither the content nor the length of the stored secret leaks through timing. `crypto.hash` is the one-shot
 * form of `createHash().update().digest()` (no Hash object per call: a refresh compares several secrets).
 */

import { hash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => hash('sha256', s, 'buffer');

export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
