/**
 * Ferry as a library (re-exports only). The product surface is the CLI, the dex-compatible config, the HTTP
 * endpoints and the gRPC API; this entry point is for embedding Ferry and for writing backends and connectors:
 * `import { createServer, type Storage } from 'ferry'`. The shared suites are separate entry points:
 * `ferry/storage/conformance` (`runStorageConformance`) and `ferry/connectors/contract` (`runConnectorContract`).
 */

export { startFerry, type RunningFerry } from './cli/start.js';
export { loadConfig, parseConfig } from './config/load.js';
export type { Config } from './config/types.js';
export type {
  CallbackConnector,
  CallbackRequest,
  Connector,
  ConnectorDeps,
  ConnectorFactory,
  Identity,
  PasswordConnector,
  RefreshConnector,
  SAMLConnector,
  Scopes,
  TokenIdentityConnector,
} from './connectors/types.js';
export * from './lib/errors.js';
export type { ServerContext, ServerParts } from './server/context.js';
export { createServer } from './server/server.js';
export type { Storage, StorageDeps, StorageFactory, Updater } from './storage/storage.js';
export type * from './storage/types.js';
