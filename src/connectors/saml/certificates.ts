/**
 * The IdP signing certificates (`ca` file or `caData`): one or more PEM `CERTIFICATE` blocks, nothing else, as dex
 * reads them. Each is checked to be a real X.509 certificate and returned as PEM for the signature verifier.
 */

import { X509Certificate } from 'node:crypto';

const BLOCK = /-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----/g;

/** Parses PEM text into normalised PEM certificates; throws `Error` describing the problem. */
export function parseCertificates(pem: string): string[] {
  const certs: string[] = [];
  for (const m of pem.matchAll(BLOCK)) {
    const body = (m[1] ?? '').replace(/\s+/g, '');
    const normalised = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
    try {
      new X509Certificate(normalised);
    } catch {
      throw new Error(`certificate ${certs.length + 1} does not parse`);
    }
    certs.push(normalised);
  }
  if (pem.replace(BLOCK, '').trim() !== '') throw new Error('unexpected data besides PEM certificates');
  if (certs.length === 0) throw new Error('no certificates found');
  return certs;
}
