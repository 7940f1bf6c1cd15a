/** Listen addresses in dex's `host:port` form, and the startup hint that says where to log in. */

import type { Config } from '../config/types.js';

/** `127.0.0.1:5556`, `:5556`, `[::1]:5556`, `0.0.0.0:80` → fastify listen options. */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(addr);
  if (!m || Number(m[2]) > 65535) throw new Error(`invalid listen address ${JSON.stringify(addr)} (want host:port)`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0';
  return { host, port: Number(m[2]) };
}

/** A ready-to-open login URL for the first public static client (out-of-band code page), or the discovery URL. */
export function loginHint(config: Config): string {
  const lines = [`Ferry is serving ${config.issuer}`, `  discovery: ${config.issuer}/.well-known/openid-configuration`];
  const demo = config.staticClients.find((c) => c.public && c.redirectURIs.length === 0);
  if (demo) {
    const q = new URLSearchParams({
      client_id: demo.id,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      response_type: 'code',
      scope: 'openid email profile groups',
    });
    lines.push(`  log in:    ${config.issuer}/auth?${q}`);
  }
  return lines.join('\n') + '\n';
}
