/**
 * A minimal JSON client for the Kubernetes API server: one keep-alive agent with the cluster's TLS settings,
 * bearer-token (re-read from its file once a minute, as rotated service-account tokens need), client-certificate
 * or basic authentication, and a deadline per request. It knows nothing about resources; `kube-backend.ts` does.
 * Network failures become `StorageError` naming the method only; tokens never appear in messages.
 */

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { StorageError } from '../../lib/errors.js';
import type { ClusterAccess } from './access.js';

export interface KubeResponse {
  status: number;
  /** The parsed JSON body (null when empty or not JSON). */
  body: unknown;
}

export interface KubeClient {
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<KubeResponse>;
  close(): void;
}

const TIMEOUT_MS = 10_000;
const TOKEN_TTL_MS = 60_000;

export function createKubeClient(access: ClusterAccess, now: () => number = Date.now): KubeClient {
  const url = new URL(access.server);
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        maxSockets: 16,
        ca: access.ca,
        cert: access.cert,
        key: access.key,
        rejectUnauthorized: !access.insecureSkipTlsVerify,
        servername: access.tlsServerName,
      })
    : new http.Agent({ keepAlive: true, maxSockets: 16 });
  let cached: { token: string; at: number } | undefined;

  const authorization = (): string | undefined => {
    if (access.tokenFile) {
      if (!cached || now() - cached.at > TOKEN_TTL_MS) {
        try {
          cached = { token: readFileSync(access.tokenFile, 'utf8').trim(), at: now() };
        } catch (err) {
          throw new StorageError('kubernetes storage: cannot read the token file', { cause: err });
        }
      }
      return `Bearer ${cached.token}`;
    }
    if (access.token) return `Bearer ${access.token}`;
    if (access.basic) return `Basic ${Buffer.from(`${access.basic.username}:${access.basic.password}`).toString('base64')}`;
    return undefined;
  };

  return {
    request(method, path, body) {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      const auth = authorization();
      if (auth) headers.authorization = auth;
      if (payload) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = payload.length;
      }
      const base = url.pathname.replace(/\/+$/, '');
      const options: https.RequestOptions = { method, agent, headers, host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: base + path, timeout: TIMEOUT_MS };
      return new Promise<KubeResponse>((done, reject) => {
        const req = (secure ? https : http).request(options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new StorageError(`kubernetes storage: ${method} response failed`, { cause: err })));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = null;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              parsed = null;
            }
            done({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('timeout', () => req.destroy(new Error('request timed out')));
        req.on('error', (err) => reject(new StorageError(`kubernetes storage: ${method} request failed (${(err as NodeJS.ErrnoException).code ?? err.message})`, { cause: err })));
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
