/**
 * The admin CLI's connection to the gRPC API: Connect's gRPC transport over HTTP/2, plaintext or TLS (`--tls-ca`
 * to trust the server, `--tls-cert`/`--tls-key` for mutual TLS). Failures become one readable line.
 */

import { readFileSync } from 'node:fs';
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { Dex } from '../api/gen/api_pb.js';
import { AdminFailure } from './admin-command.js';

export interface ConnectOptions {
  /** `host:port`. */
  addr: string;
  tlsCA?: string;
  tlsCert?: string;
  tlsKey?: string;
  timeoutMs?: number;
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new AdminFailure(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function connectApi(opts: ConnectOptions): Client<typeof Dex> {
  if (!/^(\[[^\]]+\]|[^:/]+):\d{1,5}$/.test(opts.addr)) throw new AdminFailure(`--grpc-addr: want host:port, got ${JSON.stringify(opts.addr)}`);
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new AdminFailure('--tls-cert and --tls-key go together');
  const tls = Boolean(opts.tlsCA || opts.tlsCert);
  const nodeOptions = tls
    ? {
        ...(opts.tlsCA && { ca: readPem(opts.tlsCA, '--tls-ca') }),
        ...(opts.tlsCert && { cert: readPem(opts.tlsCert, '--tls-cert') }),
        ...(opts.tlsKey && { key: readPem(opts.tlsKey, '--tls-key') }),
      }
    : {};
  const transport = createGrpcTransport({
    baseUrl: `${tls ? 'https' : 'http'}://${opts.addr}`,
    nodeOptions,
    defaultTimeoutMs: opts.timeoutMs ?? 15_000,
  });
  return createClient(Dex, transport);
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset (TLS or protocol mismatch?)',
  ENOTFOUND: 'unknown host',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

const TLS_REASONS: Array<[RegExp, string]> = [
  [/certificate required/i, 'the server requires a client certificate (--tls-cert and --tls-key)'],
  [/unknown ca|bad certificate|certificate unknown/i, 'the server refused the client certificate'],
  [/self.signed|unable to (get|verify)|certificate verify failed|UNABLE_TO/i, 'cannot verify the server certificate (--tls-ca)'],
  [/altnames|hostname|IP: .* is not in the cert/i, 'the server certificate does not name this address'],
  [/wrong version number|packet length too long|http_request/i, 'TLS mismatch: is the server plaintext (drop --tls-*) or TLS?'],
];

/** One line for an RPC failure: unreachable server, TLS trouble, or the server's own message. */
export function describeFailure(err: unknown, addr: string): string {
  if (err instanceof AdminFailure) return err.message;
  if (!(err instanceof ConnectError)) return err instanceof Error ? err.message : String(err);
  const text = `${err.rawMessage} ${String((err.cause as Error | undefined)?.message ?? '')}`;
  const tls = TLS_REASONS.find(([re]) => re.test(text));
  if (tls) return `cannot reach the gRPC API at ${addr}: TLS failed: ${tls[1]}`;
  if (err.code === Code.Unavailable || err.code === Code.DeadlineExceeded) {
    const errno = Object.keys(REASONS).find((k) => text.includes(k));
    return `cannot reach the gRPC API at ${addr}: ${errno ? REASONS[errno] : err.rawMessage.split('\n')[0]}`;
  }
  return `${err.rawMessage.split('\n')[0]} (${Code[err.code]})`;
}
