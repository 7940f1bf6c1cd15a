/**
 * TLS versions and cipher suites as dex configures them, translated for Node (OpenSSL).
 *
 * dex v2.45.1 `cmd/dex/serve.go` serves HTTPS and gRPC with TLS 1.2 as the default minimum, Go's default maximum
 * (TLS 1.3), and a fixed list of eight TLS 1.2 AEAD suites; Go does not let TLS 1.3 suites be configured, so all
 * three TLS 1.3 suites stay on. Names below are Go's `crypto/tls` constant names (the spelling operators know from
 * Go servers), mapped to OpenSSL's.
 */

/** Go name → OpenSSL name, for the TLS 1.2 suites dex allows (Go's `_SHA256` aliases of the ChaCha20 suites too). */
const TLS12: Readonly<Record<string, string>> = {
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
};

/** TLS 1.3 suites: Go and OpenSSL spell them the same. */
const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

/** dex's fixed list (dex v2.45.1 `cmd/dex/serve.go`, `allowedTLSCiphers`), in dex's preference order. */
export const DEX_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
];

/** Every name `tlsCipherSuites` accepts. */
export const KNOWN_CIPHER_SUITES: readonly string[] = [...Object.keys(TLS12), ...TLS13];

export const isKnownCipherSuite = (name: string): boolean => Object.hasOwn(TLS12, name) || (TLS13 as readonly string[]).includes(name);

/**
 * The OpenSSL cipher string for Go suite names. When no TLS 1.3 suite is named, all three stay enabled (as in Go,
 * where the TLS 1.3 list cannot be changed); naming some restricts TLS 1.3 to those.
 */
export function opensslCipherList(goNames: readonly string[]): string {
  const v13 = goNames.filter((n) => (TLS13 as readonly string[]).includes(n));
  const v12 = goNames.flatMap((n) => (Object.hasOwn(TLS12, n) ? [TLS12[n] as string] : []));
  return [...(v13.length > 0 ? v13 : TLS13), ...new Set(v12)].join(':');
}

export type TlsVersionName = 'TLSv1.2' | 'TLSv1.3';

/** dex's `"1.2"`/`"1.3"` → Node's name; `""` → undefined (the default). */
export const nodeTlsVersion = (v: string): TlsVersionName | undefined =>
  v === '1.2' ? 'TLSv1.2' : v === '1.3' ? 'TLSv1.3' : undefined;
