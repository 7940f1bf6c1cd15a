/**
 * The interop client for the API tests: `@grpc/grpc-js` (a different gRPC stack than the Connect server) with the
 * `.proto` loaded at run time by `@grpc/proto-loader`, keeping dex's snake_case field names as a dex client would.
 */

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';

export const PROTO = fileURLToPath(new URL('../../../src/api/proto/api.proto', import.meta.url));

/** A gRPC failure as grpc-js reports it. */
export interface GrpcError extends Error {
  code: grpc.status;
  details: string;
}

type Unary = (req: object, cb: (err: GrpcError | null, res: Record<string, unknown>) => void) => void;

export interface DexClient {
  /** Calls `method` (the proto's RPC name, e.g. `CreateClient`) and resolves the response with defaults filled. */
  call<T = Record<string, unknown>>(method: string, req?: object): Promise<T>;
  /** Resolves the error of a call expected to fail. */
  fail(method: string, req?: object): Promise<GrpcError>;
  close(): void;
}

export function dexClient(address: string, credentials = grpc.credentials.createInsecure(), options: grpc.ClientOptions = {}): DexClient {
  const def = loader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { api: { Dex: grpc.ServiceClientConstructor } };
  const client = new pkg.api.Dex(address, credentials, options) as unknown as grpc.Client & Record<string, Unary>;
  const call = <T>(method: string, req: object = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const fn = client[method];
      if (typeof fn !== 'function') throw new TypeError(`no RPC ${method}`);
      fn.call(client, req, (err, res) => (err ? reject(err) : resolve(res as T)));
    });
  return {
    call,
    async fail(method, req) {
      try {
        await call(method, req);
      } catch (err) {
        return err as GrpcError;
      }
      throw new Error(`${method} was expected to fail`);
    },
    close: () => client.close(),
  };
}

export { grpc };
