/**
 * Connector configs leave the API without their secrets (client secrets, bind passwords, tokens, private keys):
 * every key whose name says it holds one is dropped, at any depth. An operator who reads a config and writes it
 * back with `UpdateConnector` must supply the secrets again (dex returns them; see docs/api.md).
 */

const SECRET_KEY = /secret|passw|bindpw|token$|privatekey|credential|assertion|^key$|keydata$|apikey/i;

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !SECRET_KEY.test(k))
      .map(([k, v]) => [k, strip(v)]),
  );
}

/** The JSON config text with secret-bearing keys removed (text that is not JSON becomes `{}`). */
export function redactConnectorConfig(configJson: string): string {
  try {
    return JSON.stringify(strip(JSON.parse(configJson)));
  } catch {
    return '{}';
  }
}
