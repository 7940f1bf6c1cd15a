/**
 * dex HEAD's session cookie (server/internal/cookie.go, codec.go; message `SessionCookie` in
 * server/internal/types.proto: `session_id = 1`, `secret = 2`): the protobuf message, base64url without padding.
 * With `sessions.cookieEncryptionKey` that text is sealed with AES-GCM (key = the key text's bytes, 16/24/32 → AES-
 * 128/192/256; a random 12-byte nonce in front of ciphertext and tag), base64url again. A cookie dex wrote is read
 * by Ferry and the other way round, with or without the key.
 * Attributes as dex sets them (server/session/session.go SetCookie): HttpOnly, SameSite=Lax, Secure for an https
 * issuer, Path = the issuer path (or `/`); Max-Age = `absoluteLifetime` only when the user chose "remember me"
 * (otherwise a browser-session cookie).
 */

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { pooledRandomBytes } from '../../lib/random-pool.js';
import type { FastifyReply } from 'fastify';
import { decodeProtoPair, encodeProtoPair } from '../tokens/proto-pair.js';

const NONCE = 12;
const TAG = 16;
/** Longest cookie value read: an id and secret of a few dozen bytes each fit many times over. */
const MAX_VALUE = 1024;

export interface CookieSettings {
  name: string;
  /** Raw `cookieEncryptionKey` bytes; empty = not encrypted. */
  key: Buffer;
  path: string;
  secure: boolean;
  /** Seconds, the `Max-Age` of a remembered cookie. */
  maxAge: number;
}

type GCM = 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm';
const gcm = (key: Buffer): GCM => `aes-${key.length * 8}-gcm` as GCM;

function seal(text: string, key: Buffer): string {
  const nonce = pooledRandomBytes(NONCE);
  const cipher = createCipheriv(gcm(key), key, nonce);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

function open(value: string, key: Buffer): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
  const data = Buffer.from(value, 'base64url');
  if (data.length < NONCE + TAG) throw new Error('ciphertext too short');
  const decipher = createDecipheriv(gcm(key), key, data.subarray(0, NONCE));
  decipher.setAuthTag(data.subarray(data.length - TAG));
  return Buffer.concat([decipher.update(data.subarray(NONCE, data.length - TAG)), decipher.final()]).toString('utf8');
}

/** The cookie value naming session `id` with proof `secret`. */
export function encodeSessionCookie(id: string, secret: string, key: Buffer): string {
  const plain = encodeProtoPair(id, secret);
  return key.length > 0 ? seal(plain, key) : plain;
}

/** `{ id, secret }` from a cookie value, or null when it is malformed, tampered with, or sealed with another key. */
export function decodeSessionCookie(value: string, key: Buffer): { id: string; secret: string } | null {
  if (value === '' || value.length > MAX_VALUE) return null;
  try {
    const [id, secret] = decodeProtoPair(key.length > 0 ? open(value, key) : value);
    return id !== '' && secret !== '' ? { id, secret } : null;
  } catch {
    return null;
  }
}

export function setSessionCookie(reply: FastifyReply, s: CookieSettings, value: string, rememberMe: boolean): void {
  reply.setCookie(s.name, value, {
    path: s.path,
    httpOnly: true,
    secure: s.secure,
    sameSite: 'lax',
    ...(rememberMe ? { maxAge: s.maxAge } : {}),
  });
}

export function clearSessionCookie(reply: FastifyReply, s: CookieSettings): void {
  reply.setCookie(s.name, '', { path: s.path, httpOnly: true, secure: s.secure, sameSite: 'lax', maxAge: 0, expires: new Date(0) });
}
