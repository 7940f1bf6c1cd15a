/**
 * Constant-time string comparison for secrets (client secrets, refresh-token secrets). Both sides are hashed first
 * so neither the content nor the length of the stored secret leaks through timing.
 */

import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
