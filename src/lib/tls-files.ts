/**
 * A TLS listener's settings and key material, reloaded when the files change.
 *
 * dex reloads its certificate and key on SIGHUP and when the files are replaced (dex v2.45.1 `cmd/dex/serve.go`,
 * `newTLSReloader`); cert-manager and Kubernetes secret volumes rotate them by swapping files or symlinks in the
 * directory. Ferry watches the directories, polls as a fallback, and on a change installs the new pair with
 * `server.setSecureContext`: open connections keep their session, new handshakes get the new certificate. A pair
 * that does not load (half-written, key not matching the certificate) is logged and the old one stays in service.
 */

import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { dirname } from 'node:path';
import type { SecureContextOptions, Server as TlsServer } from 'node:tls';
import { DEX_CIPHER_SUITES, nodeTlsVersion, opensslCipherList } from './tls-ciphers.js';
import type { Logger } from './logger.js';

export interface TlsFilesOptions {
  certFile: string;
  keyFile: string;
  /** Client CA bundle for mutual TLS; reloaded with the pair. */
  caFile?: string;
  /** dex's `"1.2"`/`"1.3"`; `""` for the default (1.2 minimum, 1.3 maximum). */
  minVersion: string;
  maxVersion: string;
  /** Go suite names; dex's list when absent or empty. */
  cipherSuites?: readonly string[];
}

export interface TlsFiles {
  /** The context options now in force (versions, ciphers, key material). */
  current(): SecureContextOptions;
  /** Reload into `server` whenever the files change, and on SIGHUP. */
  attach(server: TlsServer): void;
  /** Re-reads the files now; true when a new pair was installed. */
  reload(): boolean;
  close(): void;
}

interface Material {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

function readMaterial(o: TlsFilesOptions): Material {
  const m: Material = { cert: readFileSync(o.certFile), key: readFileSync(o.keyFile) };
  if (o.caFile) m.ca = readFileSync(o.caFile);
  // OpenSSL accepts a key that does not match the certificate and fails every handshake later: check here.
  const fromCert = new X509Certificate(m.cert).publicKey.export({ type: 'spki', format: 'der' });
  const fromKey = createPublicKey(createPrivateKey(m.key)).export({ type: 'spki', format: 'der' });
  if (!fromCert.equals(fromKey)) throw new Error(`${o.keyFile} does not match the certificate in ${o.certFile}`);
  return m;
}

const same = (a: Material, b: Material): boolean =>
  a.cert.equals(b.cert) && a.key.equals(b.key) && (a.ca ?? Buffer.alloc(0)).equals(b.ca ?? Buffer.alloc(0));

/** Loads the files now (throws with the file name when they do not load) and returns the reloader. */
export function loadTlsFiles(o: TlsFilesOptions, logger: Logger, pollMs = 30_000): TlsFiles {
  const base: SecureContextOptions = {
    minVersion: nodeTlsVersion(o.minVersion) ?? 'TLSv1.2',
    maxVersion: nodeTlsVersion(o.maxVersion) ?? 'TLSv1.3',
    ciphers: opensslCipherList(o.cipherSuites?.length ? o.cipherSuites : DEX_CIPHER_SUITES),
    honorCipherOrder: true,
  };
  let material = readMaterial(o);
  const servers: TlsServer[] = [];
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const current = (): SecureContextOptions => ({ ...base, ...material });

  const reload = (): boolean => {
    let next: Material;
    try {
      next = readMaterial(o);
    } catch (err) {
      logger.error({ cert: o.certFile, err: (err as Error).message }, 'TLS: cannot reload the certificate; keeping the current one');
      return false;
    }
    if (same(next, material)) return false;
    material = next;
    for (const s of servers) s.setSecureContext(current());
    logger.info({ cert: o.certFile }, 'TLS: certificate reloaded');
    return true;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 100).unref();
  };
  const onHangup = () => void reload();

  return {
    current,
    reload,
    attach(server) {
      servers.push(server);
      if (servers.length > 1) return;
      const dirs = new Set([o.certFile, o.keyFile, ...(o.caFile ? [o.caFile] : [])].map((f) => dirname(f)));
      for (const dir of dirs) {
        try {
          watchers.push(watch(dir, { persistent: false }, soon));
        } catch (err) {
          logger.warn({ dir, err: (err as Error).message }, 'TLS: cannot watch the directory; polling only');
        }
      }
      poll = setInterval(reload, pollMs).unref();
      process.on('SIGHUP', onHangup);
    },
    close() {
      clearTimeout(timer);
      clearInterval(poll);
      for (const w of watchers) w.close();
      process.off('SIGHUP', onHangup);
    },
  };
}
