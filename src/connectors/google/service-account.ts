/**
 * Service-account credentials for the Admin SDK Directory API, as Google's client libraries use them: the JSON key
 * file (`type: service_account`) and the OAuth 2.0 JWT bearer grant (RFC 7523 §2.1; Google "Using OAuth 2.0 for
 * Server to Server Applications"): an RS256 assertion with `iss` = client_email, `sub` = the admin to impersonate
 * (domain-wide delegation), `scope`, `aud` = token_uri, one hour of validity, posted to `token_uri`.
 * Access tokens are cached per admin until they expire. The private key lives in a #private field and is never
 * logged or put in an error.
 */

import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { ConfigError, ConnectorError } from '../../lib/errors.js';
import { type JsonHttpClient } from '../http/index.js';
import { isTokenExpired, parseTokenResponse, type UpstreamToken } from '../oauth2-client/index.js';

export const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.group.readonly';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceAccountKey {
  clientEmail: string;
  privateKeyId: string;
  privateKey: string;
  tokenURI: string;
}

/** Reads and checks a key file; `ConfigError` at `path` when it is unreadable or not a service-account key. */
export function readServiceAccountFile(file: string, path: string): ServiceAccountKey {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new ConfigError(`cannot read the service account file ${file}: ${why}`, path);
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  if (text('type') !== 'service_account') throw new ConfigError(`${file} is not a service account key (type "${text('type')}")`, path);
  if (!text('client_email') || !text('private_key').includes('PRIVATE KEY')) {
    throw new ConfigError(`${file} lacks client_email or private_key`, path);
  }
  return { clientEmail: text('client_email'), privateKeyId: text('private_key_id'), privateKey: text('private_key'), tokenURI: text('token_uri') || DEFAULT_TOKEN_URI };
}

export class ServiceAccount {
  readonly #key: ServiceAccountKey;
  #signingKey: Promise<CryptoKey> | null = null;
  readonly #tokens = new Map<string, UpstreamToken>();
  private readonly id: string;
  private readonly http: JsonHttpClient;
  private readonly now: () => Date;

  constructor(id: string, key: ServiceAccountKey, http: JsonHttpClient, now: () => Date) {
    this.id = id;
    this.#key = key;
    this.http = http;
    this.now = now;
  }

  get clientEmail(): string {
    return this.#key.clientEmail;
  }

  /** An access token for the Directory API acting as `subject` (the impersonated admin). */
  async accessToken(subject: string): Promise<string> {
    const cached = this.#tokens.get(subject);
    if (cached && !isTokenExpired(cached, this.now())) return cached.accessToken;
    const token = await this.grant(subject);
    this.#tokens.set(subject, token);
    return token.accessToken;
  }

  private async grant(subject: string): Promise<UpstreamToken> {
    this.#signingKey ??= importPKCS8(this.#key.privateKey, 'RS256').catch((err: unknown) => {
      this.#signingKey = null;
      throw new ConnectorError(this.id, `${this.id}: google: the service account private key is not a PKCS#8 RSA key`, { cause: err });
    });
    const iat = Math.floor(this.now().getTime() / 1000);
    const jwt = new SignJWT({ scope: DIRECTORY_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(this.#key.privateKeyId ? { kid: this.#key.privateKeyId } : {}) })
      .setIssuer(this.#key.clientEmail)
      .setAudience(this.#key.tokenURI)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600);
    if (subject) jwt.setSubject(subject);
    const assertion = await jwt.sign(await this.#signingKey);
    const form = new URLSearchParams({ grant_type: JWT_BEARER, assertion });
    const res = await this.http.postForm(this.#key.tokenURI, form, { acceptStatus: [400, 401] });
    return parseTokenResponse(this.id, res.body ?? {}, this.now());
  }

  toJSON(): Record<string, string> {
    return { clientEmail: this.#key.clientEmail };
  }
}
