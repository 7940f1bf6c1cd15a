/**
 * A relying party's back-channel logout endpoint on loopback (OpenID Connect Back-Channel Logout 1.0 §2.5-2.8):
 * receives `logout_token` form POSTs and validates each the way §2.6 tells a relying party to, with jose against
 * Ferry's published JWKS. It can be told to answer 503 or to hang, to exercise retries and leases.
 */

import { createServer, type IncomingMessage } from 'node:http';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { listenOn } from '../../helpers/listen.js';

export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface ReceivedLogout {
  header: { typ?: string; alg?: string };
  claims: JWTPayload;
}

export type Behaviour = 'accept' | 'unavailable' | 'hang';

export interface BackchannelReceiver {
  /** Verified logout tokens, in arrival order. */
  readonly received: ReceivedLogout[];
  /** How many POSTs arrived (any outcome). */
  readonly attempts: () => number;
  behave(b: Behaviour): void;
  /** Resolves once `n` verified tokens arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<ReceivedLogout[]>;
  close(): void;
}

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

/** §2.6 validation: signature (JWKS), iss, aud, iat/exp, `typ`, the event, a `sid`, no `nonce`. */
async function validate(token: string, issuer: string, clientId: string, jwks: ReturnType<typeof createRemoteJWKSet>): Promise<ReceivedLogout> {
  const header = decodeProtectedHeader(token) as ReceivedLogout['header'];
  const { payload } = await jwtVerify(token, jwks, { issuer, audience: clientId, typ: 'logout+jwt', requiredClaims: ['iat', 'exp', 'jti', 'sid', 'events'] });
  if (payload.nonce !== undefined) throw new Error('a logout token must not carry a nonce');
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object') throw new Error('missing back-channel logout event');
  return { header, claims: payload };
}

export async function startBackchannelReceiver(port: number, issuer: string, clientId: string): Promise<BackchannelReceiver> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/keys`));
  const received: ReceivedLogout[] = [];
  let attempts = 0;
  let behaviour: Behaviour = 'accept';
  const server = createServer((req, res) => {
    attempts++;
    if (behaviour === 'hang') return; // never answers: the sender's timeout must fire
    if (behaviour === 'unavailable') return void res.writeHead(503).end();
    void body(req)
      .then((text) => validate(new URLSearchParams(text).get('logout_token') ?? '', issuer, clientId, jwks))
      .then((r) => {
        received.push(r);
        res.writeHead(200, { 'cache-control': 'no-store' }).end();
      })
      .catch(() => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}'));
  });
  await listenOn(server, port);
  return {
    received,
    attempts: () => attempts,
    behave: (b) => (behaviour = b),
    async waitFor(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} logout token(s), got ${received.length} after ${attempts} POST(s)`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
