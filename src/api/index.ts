/**
 * dex's gRPC admin API (`api.Dex`, dex v2.45.1 `api/v2/api.proto`, `server/api.go`), wire-compatible with dex's `api/v2/api.proto`.
 *
 * Flow: `start-api.ts` (called by `src/cli/start.ts` when `grpc.addr` is set) builds `ApiDeps` → `service.ts`
 * assembles the RPCs from one file per domain (clients, passwords, connectors, refresh, sessions, identities, MFA,
 * info) and wraps each so failures leave through `errors.ts` only → `listen.ts` serves them over HTTP/2 (gRPC
 * protocol, optional TLS and mutual TLS). `proto/api.proto` is the source of `gen/` (`npm run generate`).
 */

export type { ApiDeps } from './deps.js';
export type { ApiListener } from './listen.js';
export { API_VERSION } from './info.js';
export { createDexService, type DexService } from './service.js';
export { startApi, type StartApiOptions } from './start-api.js';
