/**
 * The `saml` connector's config block (dex v2.45.1 `connector/saml/saml.go` `Config`), read with dex's key names.
 * Beyond dex: `clockSkew` (Go duration, default dex's fixed 30s). Where dex accepts a config that can never log
 * anyone in, Ferry refuses it at startup naming the key: `allowedGroups` needs `groupsAttr`.
 */

import { z } from 'zod';
import { base64Bytes, goDuration, parsePluginConfig } from '../../lib/plugin-config.js';
import { ConfigError } from '../../lib/errors.js';
import { parseCertificates } from './certificates.js';

export interface SamlConfig {
  ssoURL: string;
  /** Our ACS URL: where the IdP posts, and the expected Destination/Recipient. */
  redirectURI: string;
  /** Our SAML entity id: the AuthnRequest Issuer (omitted when empty) and the expected audience. */
  entityIssuer: string;
  /** The IdP's entity id; when set, the Response and Assertion Issuer must equal it. */
  ssoIssuer: string;
  /** Path of a PEM file with the IdP certificates (read at open). */
  ca: string;
  /** PEM certificates from `caData`, already parsed; empty when `ca` is used. */
  caCerts: string[];
  insecureSkipSignatureValidation: boolean;
  /** Ferry only: accept RSA-SHA1 signatures and SHA-1 digests (refused by default: SHA-1 collisions are practical). */
  insecureAllowSHA1: boolean;
  usernameAttr: string;
  emailAttr: string;
  groupsAttr: string;
  groupsDelim: string;
  allowedGroups: string[];
  filterGroups: boolean;
  /** The full NameIDPolicy format URN. */
  nameIDPolicyFormat: string;
  clockSkewMs: number;
}

const NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];

/** A full format URN, or its last `:`-separated part (`emailAddress`), as dex accepts. */
export function resolveNameIDFormat(v: string): string | undefined {
  if (v === '') return 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
  return NAME_ID_FORMATS.find((f) => f === v || f.slice(f.lastIndexOf(':') + 1) === v);
}

const url = z.string().min(1, 'required').refine((s) => URL.canParse(s), { message: 'not a URL' });
const str = z.string().default('');

const schema = z
  .object({
    ssoURL: url,
    redirectURI: url,
    entityIssuer: str,
    ssoIssuer: str,
    ca: str,
    caData: base64Bytes.optional(),
    insecureSkipSignatureValidation: z.boolean().default(false),
    insecureAllowSHA1: z.boolean().default(false),
    usernameAttr: z.string().min(1, 'required'),
    emailAttr: z.string().min(1, 'required'),
    groupsAttr: str,
    groupsDelim: str,
    allowedGroups: z.array(z.string()).default([]),
    filterGroups: z.boolean().default(false),
    nameIDPolicyFormat: str.refine((v) => resolveNameIDFormat(v) !== undefined, { message: 'unknown NameID format' }),
    clockSkew: goDuration.default(30_000),
  })
  .superRefine((c, ctx) => {
    if (!c.insecureSkipSignatureValidation && (c.ca === '') === (c.caData === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ca'], message: "provide exactly one of 'ca' or 'caData'" });
    }
    if (c.caData !== undefined) {
      try {
        parseCertificates(Buffer.from(c.caData).toString('utf8'));
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['caData'], message: (err as Error).message });
      }
    }
    if (c.allowedGroups.length > 0 && c.groupsAttr === '') {
      ctx.addIssue({ code: 'custom', path: ['allowedGroups'], message: 'needs groupsAttr (no login could ever pass)' });
    }
    if (c.clockSkew < 0) ctx.addIssue({ code: 'custom', path: ['clockSkew'], message: 'must not be negative' });
  });

/** Parses and normalises `connectors[].config`; throws `ConfigError` naming each bad key under `path`. */
export function parseSamlConfig(raw: unknown, path: string, strict = false): SamlConfig {
  const c = parsePluginConfig(schema, raw, path, strict);
  const { caData, clockSkew, nameIDPolicyFormat, ...rest } = c;
  return {
    ...rest,
    caCerts: caData ? parseCertificates(Buffer.from(caData).toString('utf8')) : [],
    nameIDPolicyFormat: resolveNameIDFormat(nameIDPolicyFormat) ?? '',
    clockSkewMs: clockSkew,
  };
}

/** The certificates signatures are checked with; `null` when checking is disabled. Reads `ca` when set. */
export async function loadCertificates(c: SamlConfig, readFile: (p: string) => Promise<string>): Promise<string[] | null> {
  if (c.insecureSkipSignatureValidation) return null;
  if (c.caCerts.length > 0) return c.caCerts;
  let text: string;
  try {
    text = await readFile(c.ca);
  } catch (err) {
    throw new ConfigError(`cannot read ${c.ca}: ${(err as Error).message}`, 'ca');
  }
  try {
    return parseCertificates(text);
  } catch (err) {
    throw new ConfigError(`${c.ca}: ${(err as Error).message}`, 'ca');
  }
}
