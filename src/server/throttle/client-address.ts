/**
 * The address a request came from, honouring `web.clientRemoteIP` (dex v2.45.1 `cmd/dex/config.go`
 * `ClientRemoteIP`, used by `server/server.go` `parseRealIP`): the configured header is believed only when the TCP
 * peer lies inside one of `trustedProxies`, and only when its whole value is one IP address; otherwise the peer
 * address is used. Unlike dex, a header without any trusted proxy is ignored (dex would believe it from anyone),
 * which `config/validate.ts` already warns about.
 */

import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

export interface ClientRemoteIPConfig {
  header: string;
  trustedProxies: string[];
}

/** Reads the client address of a request. */
export type ClientAddressOf = (req: FastifyRequest) => string;

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is `1.2.3.4`. */
function plain(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** Builds the reader; throws a `TypeError` naming the entry when a trusted proxy is not a CIDR or an address. */
export function clientAddressReader(cfg: ClientRemoteIPConfig): ClientAddressOf {
  const header = cfg.header.trim().toLowerCase();
  const trusted = new BlockList();
  for (const [i, entry] of cfg.trustedProxies.entries()) {
    const [addr = '', bits] = entry.split('/');
    if (isIP(addr) === 0) throw new TypeError(`web.clientRemoteIP.trustedProxies[${i}]: not an IP prefix: ${JSON.stringify(entry)}`);
    if (bits === undefined) trusted.addAddress(addr, family(addr));
    else trusted.addSubnet(addr, Number(bits), family(addr));
  }
  const usable = header !== '' && cfg.trustedProxies.length > 0;
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? '');
    if (!usable || isIP(peer) === 0 || !trusted.check(peer, family(peer))) return peer;
    const value = req.headers[header];
    const claimed = typeof value === 'string' ? plain(value.trim()) : '';
    return isIP(claimed) !== 0 ? claimed : peer;
  };
}
