/**
 * Reading the private CAs of an upstream (GitHub Enterprise `rootCA` file, GitLab `rootCAData` bytes, oidc and oauth
 * `rootCAs`) at open time, so a bad file or bad PEM fails startup with the key named, not the first login.
 */

import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../lib/errors.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in `text`; `ConfigError` at `path` when there are none. */
export function pemCertificates(text: string, path: string): string[] {
  const certs = text.match(PEM_CERT) ?? [];
  if (certs.length === 0) throw new ConfigError('no PEM certificate found', path);
  return certs;
}

/** The PEM certificates of the file at `file`; `ConfigError` at `path` when unreadable or empty. */
export function readRootCAFile(file: string, path: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, path);
  }
  return pemCertificates(text, path);
}

/**
 * dex's `rootCAs` list (oidc, oauth; dex v2.45.1 `pkg/httpclient`): each entry a file path, PEM text or
 * base64-encoded PEM, read as PEM text. A bad entry is a `ConfigError` naming it (`rootCAs[1]`).
 */
export function readRootCAs(entries: readonly string[]): string[] {
  return entries.map((entry, index) => {
    if (entry.includes('-----BEGIN')) return entry;
    if (existsSync(entry)) return readFileSync(entry, 'utf8');
    const decoded = Buffer.from(entry, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
    throw new ConfigError('neither a readable file, PEM text nor base64-encoded PEM', `rootCAs[${index}]`);
  });
}
