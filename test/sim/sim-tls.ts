/**
 * A throw-away self-signed certificate for `127.0.0.1` (SAN IP), made once per test process with the system
 * `openssl`, so simulations can speak HTTPS and connectors can be pointed at them with a `rootCA` option.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SimCert {
  cert: string;
  key: string;
  /** Path of the PEM certificate, which is its own CA (for file-based `rootCA` options). */
  caFile: string;
}

let cached: SimCert | undefined;

export function simCert(): SimCert {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-sim-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  cached = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), caFile: certFile };
  return cached;
}
