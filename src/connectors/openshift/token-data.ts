/**
 * OpenShift connector data: dex stores golang.org/x/oauth2's `Token` as JSON (`access_token`, `token_type`,
 * `refresh_token`, `expiry` as RFC 3339, omitted or the zero time when none). Reading and writing that shape keeps
 * offline sessions created by dex refreshing after a switch to Ferry.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { UpstreamToken } from '../oauth2-client/index.js';

export function encodeOpenshiftToken(t: UpstreamToken): Uint8Array {
  const doc: Record<string, string> = { access_token: t.accessToken, token_type: 'Bearer' };
  if (t.refreshToken) doc.refresh_token = t.refreshToken;
  if (t.expiry) doc.expiry = t.expiry.toISOString();
  return new TextEncoder().encode(JSON.stringify(doc));
}

export function decodeOpenshiftToken(id: string, data: Uint8Array | null): UpstreamToken {
  let o: Record<string, unknown> = {};
  try {
    const raw: unknown = data && data.length > 0 ? JSON.parse(new TextDecoder().decode(data)) : null;
    if (typeof raw === 'object' && raw !== null) o = raw as Record<string, unknown>;
  } catch {
    // reported below
  }
  const accessToken = typeof o.access_token === 'string' ? o.access_token : '';
  if (!accessToken) throw new ConnectorError(id, `${id}: openshift: no upstream token in the connector data`);
  const when = typeof o.expiry === 'string' ? new Date(o.expiry) : null;
  const expiry = when && !Number.isNaN(when.getTime()) && when.getUTCFullYear() > 1 ? when : null;
  return { accessToken, refreshToken: typeof o.refresh_token === 'string' ? o.refresh_token : '', expiry };
}
