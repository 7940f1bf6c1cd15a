/**
 * The token-endpoint and verification workloads beyond the original five: client credentials (with Ferry's JWT
 * and opaque access tokens), refresh with opaque access tokens, and introspection and userinfo over thousands of
 * distinct tokens (collected before the window, more than Ferry's userinfo cache of verified tokens holds, so every
 * call verifies: see `DISTINCT_TOKENS`).
 * Each runs the same closed loop against both servers; Ferry's "opaque" variants use its `bench-opaque-<i>`
 * clients (`accessTokenFormat: opaque`), the peer its usual clients (its access tokens are always opaque).
 */

import type http from 'node:http';
import { basicAuth, keepAliveAgent, request } from './http.js';
import type { Limits } from './limits.js';
import { closedLoop, type LoadResult, type Window } from './load.js';
import { exchange, loginOnce, type LoginTarget } from './login-flow.js';
import { VERIFIED_TOKENS_REMEMBERED } from '../../src/server/tokens/token-checker.js';

export interface TokenServer {
  name: string;
  discovery: { token_endpoint: string; userinfo_endpoint: string; introspection_endpoint?: string };
  login: (clientIndex: number, connectorId?: string, opts?: { opaque?: boolean }) => LoginTarget;
}

export interface TokenWorkload {
  name: string;
  /** Ratio to the peer the row must reach (undefined: none). */
  target?: number;
  /** ops/s the row must also reach, from the machine's limits (undefined: none). */
  limit?: (l: Limits) => number;
  limitText?: string;
  /** Run on Ferry with an ES256 signing key (against the peer's RS256). */
  es256?: boolean;
  run: (s: TokenServer, w: Window) => Promise<LoadResult>;
}

const WORKERS = 16;
/**
 * Distinct tokens per server and kind (`BENCH_TOKENS`). The default exceeds what Ferry's userinfo checker remembers
 * (src/server/tokens/token-checker.ts): cycled in order through a first-in-first-out memory smaller than the cycle,
 * every call misses it, so the JWT userinfo row measures a signature verification and a denylist read per call,
 * not a map lookup. A smaller `BENCH_TOKENS` is marked in the row's name. Introspection has no such cache.
 */
const DISTINCT_TOKENS = Number(process.env.BENCH_TOKENS ?? VERIFIED_TOKENS_REMEMBERED + 2000);
const CACHED = DISTINCT_TOKENS <= VERIFIED_TOKENS_REMEMBERED ? ', cache hits' : '';

async function clientCredentials(agent: http.Agent, t: LoginTarget): Promise<string> {
  const res = await request(agent, t.tokenEndpoint, {
    headers: { authorization: basicAuth(t.clientId, t.clientSecret) },
    form: { grant_type: 'client_credentials', scope: 'openid' },
  });
  if (res.status !== 200) throw new Error(`client_credentials: HTTP ${res.status}`);
  const token = (JSON.parse(res.body) as { access_token?: string }).access_token;
  if (!token) throw new Error('client_credentials: no access_token');
  return token;
}

function ccLoop(opaque: boolean) {
  return (s: TokenServer, w: Window): Promise<LoadResult> => {
    const agent = keepAliveAgent(WORKERS);
    return closedLoop(WORKERS, w, async (i) => {
      await clientCredentials(agent, s.login(i, undefined, { opaque }));
    });
  };
}

function refreshLoop(opaque: boolean) {
  return async (s: TokenServer, w: Window): Promise<LoadResult> => {
    const agent = keepAliveAgent(WORKERS);
    const chains: string[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const { refresh_token: rt } = await loginOnce(agent, s.login(i, undefined, { opaque }));
      if (!rt) throw new Error(`${s.name}: login issued no refresh token`);
      chains.push(rt);
    }
    return closedLoop(WORKERS, w, async (i) => {
      const next = await exchange(agent, s.login(i, undefined, { opaque }), { grant_type: 'refresh_token', refresh_token: chains[i] ?? '' });
      if (!next.refresh_token) throw new Error('refresh response has no refresh_token');
      chains[i] = next.refresh_token;
    });
  };
}

/**
 * `DISTINCT_TOKENS` user access tokens: one login per client, then refreshes, keeping every access token. Collected
 * once per server and kind, and shared by its introspection and userinfo rows (none of them changes a token).
 */
function userTokens(s: TokenServer, agent: http.Agent, opaque: boolean): Promise<string[]> {
  let byKind = collected.get(s);
  if (!byKind) collected.set(s, (byKind = new Map()));
  let tokens = byKind.get(opaque);
  if (!tokens) byKind.set(opaque, (tokens = collectUserTokens(s, agent, opaque)));
  return tokens;
}

const collected = new WeakMap<TokenServer, Map<boolean, Promise<string[]>>>();

async function collectUserTokens(s: TokenServer, agent: http.Agent, opaque: boolean): Promise<string[]> {
  const tokens: string[] = [];
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, i) => {
      const t = s.login(i, undefined, { opaque });
      let set = await loginOnce(agent, t);
      tokens.push(set.access_token);
      while (tokens.length < DISTINCT_TOKENS) {
        set = await exchange(agent, t, { grant_type: 'refresh_token', refresh_token: set.refresh_token ?? '' });
        tokens.push(set.access_token);
      }
    }),
  );
  return tokens;
}

function userinfoLoop(opaque: boolean) {
  return async (s: TokenServer, w: Window): Promise<LoadResult> => {
    const agent = keepAliveAgent(WORKERS);
    const tokens = await userTokens(s, agent, opaque);
    let next = 0;
    return closedLoop(WORKERS, w, async () => {
      const token = tokens[next++ % tokens.length] ?? '';
      const res = await request(agent, s.discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`userinfo: HTTP ${res.status}`);
    });
  };
}

function introspectionLoop(opaque: boolean) {
  return async (s: TokenServer, w: Window): Promise<LoadResult> => {
    const endpoint = s.discovery.introspection_endpoint;
    if (!endpoint) throw new Error(`${s.name}: no introspection_endpoint`);
    const agent = keepAliveAgent(WORKERS);
    const tokens = await userTokens(s, agent, opaque);
    let next = 0;
    return closedLoop(WORKERS, w, async (i) => {
      const t = s.login(i);
      const token = tokens[next++ % tokens.length] ?? '';
      const res = await request(agent, endpoint, { headers: { authorization: basicAuth(t.clientId, t.clientSecret) }, form: { token } });
      if (res.status !== 200 || !res.body.includes('"active":true')) throw new Error(`introspection: HTTP ${res.status}, not active`);
    });
  };
}

/** 2 signatures per refresh and per client_credentials grant with `openid` (access + ID token); 1 when opaque. */
export const perSec = (alg: string, signatures: number) => (l: Limits) => 0.75 * ((l.signaturesPerSec[alg] ?? 0) / signatures);

export const TOKEN_WORKLOADS: TokenWorkload[] = [
  { name: 'refresh grant, ES256 key (peer RS256)', target: 2, es256: true, run: refreshLoop(false) },
  { name: 'refresh grant, opaque access token', run: refreshLoop(true) },
  {
    name: 'client_credentials (scope openid)',
    limit: perSec('RS256', 2),
    limitText: '75% of RS256 sig/s ÷ 2',
    run: ccLoop(false),
  },
  { name: 'client_credentials, opaque access token', limit: perSec('RS256', 1), limitText: '75% of RS256 sig/s', run: ccLoop(true) },
  { name: `introspection (${DISTINCT_TOKENS} distinct tokens)`, target: 2, run: introspectionLoop(false) },
  { name: `introspection, opaque (${DISTINCT_TOKENS} distinct)`, target: 2, run: introspectionLoop(true) },
  { name: `userinfo (${DISTINCT_TOKENS} distinct tokens${CACHED})`, target: 2, run: userinfoLoop(false) },
  { name: `userinfo, opaque (${DISTINCT_TOKENS} distinct)`, target: 2, run: userinfoLoop(true) },
];
