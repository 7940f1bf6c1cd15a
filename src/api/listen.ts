/**
 * The gRPC listener (dex `grpc` config, dex v2.45.1 `cmd/dex/config.go`, `cmd/dex/serve.go`): HTTP/2 with Connect's node adapter speaking the gRPC
 * protocol only. Plaintext unless `tlsCert`/`tlsKey`; with `tlsClientCA` every client must present a certificate
 * signed by that CA (mutual TLS). Without mutual TLS anyone who can reach the port is an administrator, so Ferry
 * says so loudly at startup.
 */

import http2 from 'node:http2';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { type GrpcConfig, LISTENER_TIMEOUTS } from '../config/types.js';
import type { Logger } from '../lib/logger.js';
import { loadTlsFiles, type TlsFiles } from '../lib/tls-files.js';
import { Dex } from './gen/api_pb.js';
import type { DexService } from './service.js';

export interface ApiListener {
  /** `host:port` actually bound. */
  address: string;
  close(): Promise<void>;
}

/** gRPC's default maximum message size. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Connect percent-encodes `grpc-message` with `encodeURIComponent` ('=' → '%3D'), and grpc-js decodes it with
 * `decodeURI`, which leaves such escapes in place. Re-encode the way the gRPC spec asks: only '%' and bytes outside
 * printable ASCII, so every client shows the same text.
 */
function specEncodeMessage(encoded: string): string {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function withSpecMessages(res: http2.Http2ServerResponse): http2.Http2ServerResponse {
  const addTrailers = res.addTrailers.bind(res);
  res.addTrailers = (headers) => {
    const message = headers['grpc-message'];
    addTrailers(typeof message === 'string' ? { ...headers, 'grpc-message': specEncodeMessage(message) } : headers);
  };
  return res;
}

/**
 * Plaintext without `tlsCert`; otherwise dex's versions and cipher suites (`src/lib/tls-ciphers.ts`), with the
 * pair (and client CA) reloaded when the files change, as dex's gRPC listener does.
 */
function createHttp2Server(grpc: GrpcConfig, logger: Logger): { server: http2.Http2Server; tls: TlsFiles | null } {
  if (!grpc.tlsCert) return { server: http2.createServer(), tls: null };
  const mutual = grpc.tlsClientCA !== '';
  const tls = loadTlsFiles(
    {
      certFile: grpc.tlsCert,
      keyFile: grpc.tlsKey,
      caFile: mutual ? grpc.tlsClientCA : undefined,
      minVersion: grpc.tlsMinVersion,
      maxVersion: grpc.tlsMaxVersion,
      cipherSuites: grpc.tlsCipherSuites,
    },
    logger,
  );
  const server = http2.createSecureServer({
    ...tls.current(),
    ...(mutual && { requestCert: true, rejectUnauthorized: true }),
    allowHTTP1: false,
  });
  tls.attach(server);
  return { server, tls };
}

export async function listenApi(
  grpc: GrpcConfig,
  listen: { host: string; port: number },
  service: DexService,
  logger: Logger,
  idleMs: number = LISTENER_TIMEOUTS.idle,
): Promise<ApiListener> {
  const handler = connectNodeAdapter({
    routes: (router) => router.service(Dex, service),
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: MAX_MESSAGE_BYTES,
  });
  const { server, tls } = createHttp2Server(grpc, logger);
  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void handler(req, withSpecMessages(res)));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  // An idle session (no RPC, no ping) is destroyed with its socket (Node's HTTP/2 session timeout).
  if (idleMs > 0) server.setTimeout(idleMs);
  server.on('tlsClientError', (err: Error) => logger.warn({ err: err.message }, 'gRPC API: TLS handshake refused'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const address = typeof bound === 'object' && bound ? `${listen.host}:${bound.port}` : `${listen.host}:${listen.port}`;
  const mode = grpc.tlsClientCA ? 'mutual TLS' : grpc.tlsCert ? 'TLS' : 'plaintext';
  logger.info({ address, mode }, 'listening (grpc)');
  if (!grpc.tlsClientCA) {
    logger.warn(
      { address },
      'SECURITY WARNING: the gRPC admin API is listening WITHOUT client authentication; anyone who can reach this ' +
        'address can create clients, change passwords and read secrets. Set grpc.tlsClientCA (mutual TLS) or bind ' +
        'it to a trusted interface only.',
    );
  }
  if (grpc.reflection) logger.warn('grpc.reflection is not supported by Ferry; ignored');

  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        tls?.close();
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
}
