/**
 * Storage type `memory`: process-local, lost on restart, not for several replicas (dex v2.45.1 `storage/memory/memory.go`).
 * It has no configuration; any keys given are ignored, as dex does.
 */

import type { Storage, StorageFactory } from '../storage.js';
import { createDocumentStorage } from '../document/storage.js';
import { createMemoryBackend } from './memory-backend.js';

/** A fresh, empty in-memory `Storage` (tests and the `memory` storage type). */
export function openMemoryStorage(): Storage {
  return createDocumentStorage(createMemoryBackend());
}

export const memoryStorage: StorageFactory<Record<string, never>> = {
  type: 'memory',
  parseConfig: () => ({}),
  open: async () => openMemoryStorage(),
};
