/** The `memory` storage backend (re-exports only). */
export { memoryStorage, openMemoryStorage } from './memory-storage.js';
export { createMemoryBackend } from './memory-backend.js';
