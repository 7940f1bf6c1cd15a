/**
 * Property-based fuzzing of every RPC of the gRPC admin API (`api.Dex`, issue 12 item 10), with fast-check.
 * Requests are generated from the service's own descriptors (src/api/gen), so a new RPC is fuzzed without a change
 * here: every field gets arbitrary or partly-valid values — known ids and emails, huge, empty and odd strings,
 * random and hostile redirect URIs, bcrypt hashes and bytes that are not UTF-8, connector configs as JSON or junk.
 * They are sent with the Connect gRPC transport to a real Ferry (memory storage, both API feature flags on).
 * Properties of every answer:
 * - never gRPC `Internal` or `Unknown` (a bad request is the caller's fault), never a crash or unhandled rejection;
 * - no stack trace, internal path or configured secret in an error message;
 * - after every call, no stored client has a redirect URI the policy (src/lib/redirect-uri-policy.ts) refuses.
 */

import { create, type DescField, type DescMessage, ScalarType } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import fc from 'fast-check';
import { Dex } from '../../src/api/gen/api_pb.js';
import { registeredRedirectURIProblem } from '../../src/lib/redirect-uri-policy.js';
import { type ApiFerry, REDIRECT, startApiFerry, STATIC_USER } from '../flows/api/api.config.js';

const SECRET = 'static-secret';
const CANARY = 'canary-pass-3141';
const BCRYPT = '$2a$10$2b2cU8CPhOTaGrs1HRQuAueS7JTT5ZHsHSzYiFPm1leZck7Mc8T4W';

const odd = fc.constantFrom(
  '', ' ', '\u0000', '\u202e', '\ud800', '%', '%zz', '../../etc/passwd', '<script>x</script>', '{"a":1}', 'null',
  'static-app', 'mock', 'local', STATIC_USER.email, STATIC_USER.userId, 'fuzz-app', 'FUZZ-APP', 'mockCallback',
  'ldap', 'oidc', 'saml', 'authorization_code', 'refresh_token', '-1', '1h', '1000000000h', 'P1D',
  'a'.repeat(10_000), '🦊'.repeat(500), 'x'.repeat(200_000),
);
/** Plain values most fields accept, so that valid requests reach storage too. */
const sane = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const text: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: sane }, { weight: 3, arbitrary: odd }, { weight: 2, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) });

/** Redirect URIs: registered, hostile, look-alike, random. */
const uri: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    REDIRECT, 'https://app.example/cb', 'com.example.app:/cb', 'http://localhost/cb#frag', 'javascript:alert(1)',
    'JavaScript:alert(1)', ' javascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'blob:https://a/x',
    'about:blank', 'http://localhost:1\\@evil.example/cb', 'https://user@evil.example/', 'http:///nohost', '//evil.example',
    'http://[::1]/cb', 'http://127.0.0.1:5555/callback%', 'https://a.example/%E0%A4%A', '/dex/device/callback', '',
  ),
  { weight: 3, arbitrary: fc.constantFrom(REDIRECT, 'https://app.example/cb') },
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.tuple(fc.constantFrom('http://', 'https://', 'x:', 'java\tscript:', ''), fc.string({ maxLength: 30 })).map(([a, b]) => a + b),
  text,
);

const bytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  fc.constantFrom(new Uint8Array([0xff, 0xfe, 0xfd]), new Uint8Array([0x80]), new Uint8Array([0xc3]), new Uint8Array([0xed, 0xa0, 0x80]), new Uint8Array()),
  fc.constantFrom(BCRYPT, '$2a$04$short', '$2a$99$' + 'a'.repeat(53), '{}', '[]', 'null', '{"username":"u","password":"p"}', '{"issuer":"x","clientID":1}', 'a: [', '\u0000').map((s) => new TextEncoder().encode(s)),
  fc.json({ maxDepth: 2 }).map((s) => new TextEncoder().encode(s)),
  fc.constant(new Uint8Array(300_000).fill(0x41)),
);

const int64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(0n, -1n));

function scalar(field: DescField, type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      if (/uri|url/i.test(field.name)) return uri;
      // Typed passwords and secrets carry a canary that must never come back in an error message.
      return /password|secret/i.test(field.name) ? fc.oneof(text, fc.constant(CANARY)) : text;
    case ScalarType.BYTES:
      return bytes;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return type === ScalarType.INT64 || type === ScalarType.SINT64 || type === ScalarType.SFIXED64 ? int64 : int64.map((n) => (n < 0n ? -n : n));
    default:
      return fc.integer({ min: 0, max: 2 ** 31 - 1 });
  }
}

/** An arbitrary message `desc`, each field present or not; nested messages up to `depth`. */
export function messageOf(desc: DescMessage, depth = 2): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of desc.fields) {
    if (f.fieldKind === 'scalar') parts[f.localName] = scalar(f, f.scalar);
    else if (f.fieldKind === 'enum') parts[f.localName] = fc.integer({ min: -1, max: 4 });
    else if (f.fieldKind === 'message' && depth > 0) parts[f.localName] = messageOf(f.message, depth - 1);
    else if (f.fieldKind === 'list' && f.listKind === 'scalar') parts[f.localName] = fc.array(scalar(f, f.scalar), { maxLength: 4 });
    else if (f.fieldKind === 'list' && f.listKind === 'message' && depth > 0) parts[f.localName] = fc.array(messageOf(f.message, depth - 1), { maxLength: 3 });
    else if (f.fieldKind === 'map') parts[f.localName] = fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 });
  }
  return fc.record(parts, { requiredKeys: [] });
}

const LEAK = /\bat [^\n]+:\d+:\d+|node_modules|\/work\/|TypeError|ReferenceError|SyntaxError|SQLITE|\$2[aby]\$/;

export interface RpcFigures {
  rpc: string;
  cases: number;
  ok: number;
  codes: Record<string, number>;
  failures: string[];
}

export interface GrpcFuzzTarget {
  ferry: ApiFerry;
  call(rpc: string, req: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startGrpcFuzzTarget(): Promise<GrpcFuzzTarget> {
  const ferry = await startApiFerry({ env: { DEX_API_CONNECTORS_CRUD: 'true', DEX_API_SESSIONS_IDENTITIES_CRUD: 'true' } });
  const client = createClient(Dex, createGrpcTransport({ baseUrl: `http://${ferry.grpcAddr}` })) as unknown as Record<string, (r: unknown) => Promise<unknown>>;
  const call = (rpc: string, req: Record<string, unknown>) => {
    const method = Dex.methods.find((m) => m.name === rpc);
    if (!method) throw new TypeError(`no RPC ${rpc}`);
    const fn = client[method.localName];
    if (!fn) throw new TypeError(`no client method ${method.localName}`);
    return fn(create(method.input, req as never));
  };
  return { ferry, call, stop: () => ferry.stop() };
}

/** Throws when a stored client has a redirect URI the policy refuses. */
async function checkStoredClients(t: GrpcFuzzTarget): Promise<void> {
  const listed = (await t.call('ListClients', {})) as { clients: { id: string; redirectUris: string[]; postLogoutRedirectUris: string[] }[] };
  for (const c of listed.clients) {
    for (const u of [...c.redirectUris, ...c.postLogoutRedirectUris]) {
      const problem = registeredRedirectURIProblem(u);
      if (problem) throw new Error(`client ${JSON.stringify(c.id.slice(0, 60))} stored with a refused redirect URI ${JSON.stringify(u.slice(0, 120))}: ${problem}`);
    }
  }
}

function checkError(err: unknown): string {
  if (!(err instanceof ConnectError)) throw new Error(`not a gRPC error: ${String(err).slice(0, 300)}`);
  if (err.code === Code.Internal || err.code === Code.Unknown) throw new Error(`internal error code ${Code[err.code]}: ${err.rawMessage.slice(0, 300)}`);
  if (LEAK.test(err.rawMessage) || err.rawMessage.includes(SECRET) || err.rawMessage.includes(CANARY)) throw new Error(`internal detail or secret in the message: ${err.rawMessage.slice(0, 300)}`);
  return Code[err.code] ?? String(err.code);
}

/** Runs `runs` generated requests against each RPC of `api.Dex`; returns per-RPC figures (failures listed, not thrown). */
export async function fuzzRpcs(t: GrpcFuzzTarget, runs: number, seed?: number, only?: RegExp): Promise<RpcFigures[]> {
  const out: RpcFigures[] = [];
  for (const m of Dex.methods.filter((d) => !only || only.test(d.name))) {
    const fig: RpcFigures = { rpc: m.name, cases: 0, ok: 0, codes: {}, failures: [] };
    const result = await fc.check(
      fc.asyncProperty(messageOf(m.input), async (req) => {
        fig.cases++;
        try {
          await t.call(m.name, req);
          fig.ok++;
        } catch (err) {
          const code = checkError(err);
          fig.codes[code] = (fig.codes[code] ?? 0) + 1;
        }
        if (/Client/.test(m.name)) await checkStoredClients(t);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    if (result.failed) fig.failures.push(`${String(result.errorInstance).slice(0, 600)}\n${fc.defaultReportMessage(result)?.slice(0, 1500)}`);
    out.push(fig);
  }
  await t.call('GetVersion', {});
  return out;
}
