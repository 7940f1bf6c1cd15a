/**
 * The LDAP wire side (ldapts, loaded lazily so installs without LDAP never load it): one short-lived session per
 * login or refresh, opened the way dex dials (`insecureNoSSL` → plain `ldap://`; `startTLS` → `ldap://` then the
 * StartTLS extended operation; otherwise `ldaps://`), bound as the service account (or anonymously when both
 * `bindDN` and `bindPW` are empty).
 *
 * Every ldapts or socket failure becomes a `ConnectorError` whose message is for logs only. A wrong password is
 * not a failure: `bindUser` answers false for invalidCredentials (49) and constraintViolation (19), as dex does.
 */

import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Client, Entry } from 'ldapts';
import { ConnectorError } from '../../lib/errors.js';
import type { LdapConfig, SearchScope } from './config.js';
import type { LdapEntry } from './mapping.js';

/** Limits so a silent server cannot hold a login forever (dex relies on go-ldap's 60 s default). */
const CONNECT_TIMEOUT_MS = 5_000;
const OPERATION_TIMEOUT_MS = 15_000;

/** LDAP result codes that mean "wrong credentials" rather than a failure. */
const BAD_CREDENTIALS = new Set([49, 19]);
/** noSuchObject: a search base that does not exist. */
const NO_SUCH_OBJECT = 32;

type Ldapts = typeof import('ldapts');
let ldapts: Promise<Ldapts> | undefined;
const loadLdapts = (): Promise<Ldapts> => (ldapts ??= import('ldapts'));

const resultCode = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
};

const firstCert = (pem: string): boolean => {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!block) return false;
  try {
    new X509Certificate(block[0]);
    return true;
  } catch {
    return false;
  }
};

/**
 * Node TLS options from the config: trusted roots (`rootCAData` wins over `rootCA`, as in dex), the client
 * certificate, the name to check (the host from `host`), and `insecureSkipVerify`. Reads files once, at open.
 */
export async function loadTlsOptions(id: string, config: LdapConfig): Promise<ConnectionOptions> {
  const fail = (what: string, cause?: unknown) => new ConnectorError(id, `ldap: ${what}`, { cause });
  const opts: ConnectionOptions = {
    host: config.hostname,
    rejectUnauthorized: !config.insecureSkipVerify,
    minVersion: 'TLSv1.2',
  };
  if (!isIP(config.hostname)) opts.servername = config.hostname;
  if (config.rootCAData || config.rootCA) {
    let pem: string;
    try {
      pem = config.rootCAData ? Buffer.from(config.rootCAData).toString('utf8') : await readFile(config.rootCA, 'utf8');
    } catch (err) {
      throw fail(`read rootCA ${JSON.stringify(config.rootCA)}: ${(err as Error).message}`, err);
    }
    if (!firstCert(pem)) throw fail('no certificates found in rootCA/rootCAData');
    opts.ca = pem;
  }
  if (config.clientCert && config.clientKey) {
    try {
      opts.cert = await readFile(config.clientCert, 'utf8');
      opts.key = await readFile(config.clientKey, 'utf8');
    } catch (err) {
      throw fail(`load client certificate: ${(err as Error).message}`, err);
    }
  }
  return opts;
}

/**
 * `tls.connect` for ldapts, reporting when the TLS socket closes. After StartTLS, ldapts watches only the plain
 * socket underneath, so a server that closes the TLS session (e.g. refusing our client certificate) would leave
 * requests, and the final unbind, waiting for the timeout. Closing the plain socket with the TLS one makes pending
 * requests fail at once, and `onClose` tells the session not to send an unbind.
 */
function secureConnector(onClose: () => void): typeof tlsConnect {
  return ((...args: Parameters<typeof tlsConnect>): TLSSocket => {
    const socket = tlsConnect(...args);
    const plain = (args[0] as ConnectionOptions | undefined)?.socket;
    socket.once('close', () => {
      onClose();
      plain?.destroy();
    });
    return socket;
  }) as typeof tlsConnect;
}

/** Flattens an ldapts entry into go-ldap's shape (string values; binary values as latin1). */
function toEntry(e: Entry): LdapEntry {
  const attributes: LdapEntry['attributes'] = [];
  for (const [name, raw] of Object.entries(e)) {
    if (name === 'dn') continue;
    const list = Array.isArray(raw) ? raw : [raw];
    const values = list.map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)));
    if (values.length > 0) attributes.push({ name, values });
  }
  return { dn: e.dn, attributes };
}

/** One connection to the directory. Always `close()` it (in `finally`). */
export class LdapSession {
  readonly #id: string;
  readonly #config: LdapConfig;
  readonly #client: Client;
  readonly #tlsClosed: { value: boolean };

  private constructor(id: string, config: LdapConfig, client: Client, tlsClosed: { value: boolean }) {
    this.#id = id;
    this.#config = config;
    this.#client = client;
    this.#tlsClosed = tlsClosed;
  }

  /** Connects (TLS as configured) and binds as the service account. */
  static async open(id: string, config: LdapConfig, tls: ConnectionOptions): Promise<LdapSession> {
    const { Client } = await loadLdapts();
    const secure = !config.insecureNoSSL && !config.startTLS;
    const tlsClosed = { value: false };
    const client = new Client({
      url: `${secure ? 'ldaps' : 'ldap'}://${config.host}`,
      connectTimeout: CONNECT_TIMEOUT_MS,
      timeout: OPERATION_TIMEOUT_MS,
      strictDN: false,
      createSecureConnection: secureConnector(() => (tlsClosed.value = true)),
      ...(secure ? { tlsOptions: { ...tls } } : {}),
    });
    const session = new LdapSession(id, config, client, tlsClosed);
    try {
      if (!config.insecureNoSSL && config.startTLS) {
        await session.#wrap('start TLS', () => client.startTLS({ ...tls }));
      }
      await session.bindService();
      return session;
    } catch (err) {
      await session.close();
      throw err;
    }
  }

  async #wrap<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof ConnectorError) throw err;
      throw new ConnectorError(this.#id, `ldap: ${what} at ${this.#config.host}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }

  /** Binds as `bindDN`/`bindPW`, or anonymously when both are empty. */
  async bindService(): Promise<void> {
    const { bindDN, bindPW } = this.#config;
    const who = bindDN ? `bind as ${JSON.stringify(bindDN)}` : 'anonymous bind';
    await this.#wrap(who, () => this.#client.bind(bindDN, bindPW));
  }

  /** Binds as a user: true on success, false for a wrong password; anything else is a `ConnectorError`. */
  async bindUser(dn: string, password: string): Promise<boolean> {
    if (!password) return false; // an empty password would be an unauthenticated bind
    try {
      await this.#client.bind(dn, password);
      return true;
    } catch (err) {
      const code = resultCode(err);
      if (code !== undefined && BAD_CREDENTIALS.has(code)) return false;
      throw new ConnectorError(this.#id, `ldap: bind as ${JSON.stringify(dn)}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }

  /** Searches `base`; a missing base (noSuchObject) is an empty result when `missingIsEmpty`. */
  async search(base: string, scope: SearchScope, filter: string, attributes: string[], missingIsEmpty = false): Promise<LdapEntry[]> {
    try {
      const { searchEntries } = await this.#client.search(base, { scope, filter, attributes });
      return searchEntries.map(toEntry);
    } catch (err) {
      if (missingIsEmpty && resultCode(err) === NO_SUCH_OBJECT) return [];
      throw new ConnectorError(this.#id, `ldap: search ${JSON.stringify(filter)} under ${JSON.stringify(base)}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }

  /** Unbinds and closes the socket; never throws. */
  async close(): Promise<void> {
    if (this.#tlsClosed.value) return; // nothing left to unbind; ldapts would wait for its timeout
    try {
      await this.#client.unbind();
    } catch {
      // the connection is already gone
    }
  }
}
