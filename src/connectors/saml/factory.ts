/**
 * The `saml` connector factory (type `saml`; dex's old name `samlExperimental` is registered as an alias).
 *
 * XML stack, chosen over node-saml: `xml-crypto` (signature maths and canonicalization only) on `@xmldom/xmldom`,
 * with Ferry's own strict checks around it. node-saml 5.1 does not check Destination, Recipient, the response
 * Issuer or a non-Success status (docs/connectors/saml.md), and it reads data from the original document; adding those checks
 * on top would still leave two parsers' views to reconcile. Here one strict parse feeds the checks, the key is only
 * ever a configured certificate, and identity data is read only from the re-parsed bytes the signature covers.
 */

import { readFile } from 'node:fs/promises';
import type { ConnectorFactory } from '../types.js';
import { loadCertificates, parseSamlConfig, type SamlConfig } from './config.js';
import { SamlConnector } from './connector.js';

export const saml: ConnectorFactory<SamlConfig> = {
  type: 'saml',
  parseConfig: parseSamlConfig,
  async open(id, config, deps) {
    const certs = await loadCertificates(config, (p) => readFile(p, 'utf8'));
    if (certs === null) deps.logger.warn('saml: insecureSkipSignatureValidation is on: responses are NOT authenticated');
    return new SamlConnector({ id, config, certs, logger: deps.logger, now: deps.now, claimOnce: deps.claimOnce });
  },
};
