/**
 * Reading a private CA for an upstream (GitHub Enterprise `rootCA` file, GitLab `rootCAData` bytes) at open time,
 * so a bad file or bad PEM fails startup with the key named, not the first login.
 */

import { readFileSync } from 'node:fs';
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
