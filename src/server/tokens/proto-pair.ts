/**
 * The wire form dex uses for `sub` and refresh tokens (dex v2.45.1 `server/internal/codec.go`, `server/internal/types.proto`):
 * base64url without padding of a proto3 message with two string fields, 1 and 2. proto3 omits empty strings.
 * Decoding follows protobuf rules (last occurrence wins, unknown fields skipped) but rejects anything malformed.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function pushVarint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function pushString(out: number[], field: number, value: string): void {
  if (value === '') return;
  const bytes = Buffer.from(value, 'utf8');
  out.push((field << 3) | 2);
  pushVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** Encodes fields 1 and 2 as dex does: `0x0A len first 0x12 len second`, base64url, no padding. */
export function encodeProtoPair(first: string, second: string): string {
  const out: number[] = [];
  pushString(out, 1, first);
  pushString(out, 2, second);
  return Buffer.from(out).toString('base64url');
}

/** Reads a varint at `pos`; returns [value, next position]. Values above 2^53 are rejected. */
function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      if (!Number.isSafeInteger(value)) throw new Error('varint too large');
      return [value, pos];
    }
  }
  throw new Error('varint too long');
}

/** Decodes the pair; throws on bad base64url, truncation, bad wire types or invalid UTF-8. */
export function decodeProtoPair(value: string): [string, string] {
  if (!BASE64URL.test(value) || value.length % 4 === 1) throw new Error('not base64url');
  const buf = Buffer.from(value, 'base64url');
  const fields = ['', ''];
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new Error('field number 0');
    if (wire === 0) {
      [, pos] = readVarint(buf, pos);
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (pos + len > buf.length) throw new Error('truncated field');
      if (field === 1 || field === 2) fields[field - 1] = utf8.decode(buf.subarray(pos, pos + len));
      pos += len;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
    if (pos > buf.length) throw new Error('truncated field');
  }
  return [fields[0]!, fields[1]!];
}
