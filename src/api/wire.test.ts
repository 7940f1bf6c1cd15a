/**
 * Guards wire compatibility with dex's `api/v2/api.proto`: the generated descriptor must keep every message, field
 * name, number, type and label, and every RPC. The fingerprint was taken when the proto was checked field by field
 * against dex's (76 messages and the service, no differences); a change to the proto that alters the wire changes
 * it. The spot checks name the numbers that differ from the obvious order.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { AuthSessionSchema, ClientInfoSchema, Dex, file_api, RefreshTokenRefSchema, UpdateClientReqSchema } from './gen/api_pb.js';

function fingerprint(): string {
  const lines: string[] = [];
  for (const m of file_api.messages) {
    for (const f of m.fields) {
      const type = f.fieldKind === 'scalar' || f.fieldKind === 'list' ? String(f.scalar ?? f.message?.typeName) : f.message?.typeName;
      lines.push(`${m.typeName}.${f.name}=${f.number}:${f.fieldKind}:${type}:${f.proto.proto3Optional ? 'optional' : ''}`);
    }
  }
  for (const method of Dex.methods) lines.push(`rpc ${method.name}(${method.input.typeName})${method.output.typeName}`);
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

test('package, service and method paths are dex’s', () => {
  assert.equal(file_api.proto.package, 'api');
  assert.equal(Dex.typeName, 'api.Dex');
  assert.equal(Dex.methods.length, 31);
  assert.deepEqual(
    Dex.methods.slice(0, 5).map((m) => m.name),
    ['GetClient', 'CreateClient', 'UpdateClient', 'DeleteClient', 'ListClients'],
  );
});

test('field numbers that do not follow declaration order', () => {
  const num = (schema: { fields: Array<{ name: string; number: number }> }, name: string) => schema.fields.find((f) => f.name === name)?.number;
  assert.equal(num(AuthSessionSchema, 'id'), 10);
  assert.equal(num(RefreshTokenRefSchema, 'created_at'), 5);
  assert.equal(num(RefreshTokenRefSchema, 'last_used'), 6);
  assert.equal(num(ClientInfoSchema, 'redirect_uris'), 2, 'ClientInfo has no secret, so its numbers shift');
  assert.equal(UpdateClientReqSchema.fields.find((f) => f.name === 'backchannel_logout_uri')?.proto.proto3Optional, true);
});

test('the whole descriptor matches the fingerprint checked against dex', () => {
  assert.equal(fingerprint(), '265c6178f9f7847197d7c408d8add6f4d252fcb157d7eacdd78272e9e29b2784');
});
