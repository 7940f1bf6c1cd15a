/**
 * Certificates for the TLS flow tests, made with `openssl` in a temp dir: a CA and server certificates for
 * 127.0.0.1 (RSA or EC), plus `openssl s_client` handshakes run asynchronously (the server under test lives in the
 * same process, so a synchronous child would block it).
 */

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  ca: Buffer;
  /** Makes `<name>.crt`/`<name>.key` signed by the CA; returns their paths. */
  leaf(name: string, kind?: 'rsa' | 'ec'): { cert: string; key: string };
  remove(): void;
}

function openssl(dir: string, args: string[]): string {
  try {
    return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the TLS tests need the openssl command (apt-get install openssl)');
    throw err;
  }
}

const keyArgs = (kind: 'rsa' | 'ec') => (kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-tls-'));
  openssl(dir, ['req', '-x509', ...keyArgs('ec'), '-nodes', '-days', '2', '-subj', '/CN=Ferry test CA', '-keyout', 'ca.key', '-out', 'ca.crt']);
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.crt')),
    leaf(name, kind = 'rsa') {
      writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
      openssl(dir, ['req', ...keyArgs(kind), '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
        '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
      return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Handshake {
  ok: boolean;
  protocol?: string;
  cipher?: string;
  output: string;
}

/**
 * `openssl s_client` against `port` with extra flags (`-tls1_2`, `-cipher X`, `-ciphersuites Y`, `-alpn h2`).
 * `ok` means the handshake completed (a cipher was agreed).
 */
export function sClient(port: number, flags: string[]): Promise<Handshake> {
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...flags],
      { timeout: 20_000 },
      (err, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        // "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256", or "New, (NONE), Cipher is (NONE)" when refused.
        const m = /^New, (\S+), Cipher is (\S+)/m.exec(output);
        const ok = !err && m !== null && m[2] !== '(NONE)';
        resolve({ ok, protocol: ok ? m?.[1] : undefined, cipher: ok ? m?.[2] : undefined, output });
      },
    );
    child.stdin?.end();
  });
}
