// Password hashing for the embedded user store: scrypt (RFC 7914) from node:crypto, stored as a
// self-describing string `scrypt$N$r$p$salt$hash` (salt and hash in base64) so parameters can be
// raised later without invalidating existing hashes. Also understood: `ha1:<realm>:<hex>`, the HTTP Digest
// A1 hash md5(user:realm:password) (RFC 7616 §3.4.2) that SabreDAV/Baïkal keep in users.digesta1, so
// davgate can check their users' passwords in place (adapters/sql/sabredav/users.ts).
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/** Cost: N=2^15, r=8, p=1 — 32 MiB and about 0.1 s per check, within the server's memory budget. */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Refuse parameters that would let a tampered hash string exhaust memory or CPU. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  // maxmem must exceed 128·N·r, otherwise node refuses the default parameters.
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password into `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULTS): Promise<string> {
  if (password.length === 0) throw new Error('empty password');
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params, KEY_LENGTH);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d+$/.test(x) ? Number(x) : Number.NaN));
  const isPowerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { N, r, p, salt, key };
}

const HA1 = /^ha1:(.+):([0-9a-fA-F]{32})$/s;

/** `ha1:<realm>:<hex>` for a Digest A1 hash stored elsewhere (the realm it was made for, its md5 hex). */
export const ha1Hash = (realm: string, hex: string): string => `ha1:${realm}:${hex}`;

/** md5(user:realm:password) compared in constant time; the password's bytes as typed (PHP does not normalise). */
function verifyHa1(password: string, user: string, realm: string, hex: string): boolean {
  const mine = createHash('md5').update(`${user}:${realm}:${password}`, 'utf8').digest();
  return timingSafeEqual(mine, Buffer.from(hex, 'hex'));
}

/**
 * Checks a password against a stored hash in constant time with respect to the key comparison.
 * Malformed hashes and empty passwords never verify. `user` is needed for `ha1:` hashes (the A1 covers
 * the user name); without it they never verify.
 */
export async function verifyPassword(password: string, stored: string, user?: string): Promise<boolean> {
  const ha1 = HA1.exec(stored);
  if (ha1) return password.length > 0 && user !== undefined && verifyHa1(password, user, ha1[1], ha1[2]);
  const parsed = parseHash(stored);
  if (!parsed || password.length === 0) return false;
  const key = await derive(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/**
 * True when a hash was made with weaker parameters than the current defaults (rehash on next login).
 * Never for `ha1:` hashes: they live in another program's table, which must keep reading them.
 */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_DEFAULTS): boolean {
  if (HA1.test(stored)) return false;
  const parsed = parseHash(stored);
  return !parsed || parsed.N < params.N || parsed.r < params.r || parsed.p < params.p;
}

// No 0/O, 1/l/I: the password is read off a terminal and typed into a phone.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password of four dash-separated groups of five (about 117 bits), easy to type on a phone. */
export function generatePassword(groups = 4, groupLength = 5): string {
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    let group = '';
    for (let i = 0; i < groupLength; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    out.push(group);
  }
  return out.join('-');
}
