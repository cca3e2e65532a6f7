import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { generatePassword, ha1Hash, hashPassword, needsRehash, verifyPassword } from './password.ts';

// Cheap parameters keep the suite fast; the format and checks are the same.
const FAST = { N: 1024, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('produce a self-describing scrypt$N$r$p$salt$hash string', async () => {
    const hash = await hashPassword('correct horse', FAST);
    const parts = hash.split('$');
    assert.equal(parts.length, 6);
    assert.deepEqual(parts.slice(0, 4), ['scrypt', '1024', '8', '1']);
    assert.equal(Buffer.from(parts[4], 'base64').length, 16);
    assert.equal(Buffer.from(parts[5], 'base64').length, 32);
  });

  it('verify the right password and refuse a wrong one', async () => {
    const hash = await hashPassword('correct horse', FAST);
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horsf', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  it('salt every hash: the same password hashes differently', async () => {
    assert.notEqual(await hashPassword('x', FAST), await hashPassword('x', FAST));
  });

  it('default parameters verify (N=2^15)', async () => {
    const hash = await hashPassword('pässwörd');
    assert.match(hash, /^scrypt\$32768\$8\$1\$/);
    assert.equal(await verifyPassword('pässwörd', hash), true);
  });

  it('treat composed and decomposed Unicode the same (clients differ in normalisation)', async () => {
    const hash = await hashPassword('caf\u00e9', FAST);
    assert.equal(await verifyPassword('cafe\u0301', hash), true);
  });

  it('never verify against malformed or hostile hash strings', async () => {
    for (const bad of [
      '',
      'plain',
      'bcrypt$10$abc$def$ghi$jkl',
      'scrypt$1000$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5', // N not a power of two
      `scrypt$${2 ** 30}$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5`, // would need 1 TiB
      'scrypt$1024$8$1$$', // empty salt and key
    ]) {
      assert.equal(await verifyPassword('x', bad), false, bad);
    }
  });

  it('refuse to hash an empty password', async () => {
    await assert.rejects(hashPassword('', FAST), /empty password/);
  });

  it('needsRehash when the stored cost is below the current default', async () => {
    assert.equal(needsRehash(await hashPassword('x', FAST)), true);
    assert.equal(needsRehash(await hashPassword('x', FAST), FAST), false);
    assert.equal(needsRehash('garbage'), true);
  });
});

describe('generatePassword', () => {
  it('makes four groups of five unambiguous characters, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword();
      assert.match(pw, /^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      seen.add(pw);
    }
    assert.equal(seen.size, 50);
  });
});

describe('Digest A1 hashes (SabreDAV/Baïkal users.digesta1)', () => {
  const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
  const stored = ha1Hash('BaikalDAV', md5('alice:BaikalDAV:Sécret ✓'));

  it('verify md5(user:realm:password) for the right user and password only', async () => {
    assert.equal(await verifyPassword('Sécret ✓', stored, 'alice'), true);
    assert.equal(
      await verifyPassword('Sécret ✓', stored.toUpperCase().replace('HA1:BAIKALDAV', 'ha1:BaikalDAV'), 'alice'),
      true,
    );
    assert.equal(await verifyPassword('Secret ✓', stored, 'alice'), false);
    assert.equal(await verifyPassword('Sécret ✓', stored, 'bob'), false);
    assert.equal(
      await verifyPassword('Sécret ✓', ha1Hash('SabreDAV', md5('alice:BaikalDAV:Sécret ✓')), 'alice'),
      false,
    );
    assert.equal(await verifyPassword('Sécret ✓', stored), false, 'no user, no A1');
    assert.equal(await verifyPassword('', ha1Hash('BaikalDAV', md5('alice:BaikalDAV:')), 'alice'), false);
  });

  it('a realm may contain colons; malformed hex never verifies', async () => {
    assert.equal(await verifyPassword('pw', ha1Hash('a:b', md5('u:a:b:pw')), 'u'), true);
    assert.equal(await verifyPassword('pw', `ha1:r:${md5('u:r:pw').slice(1)}`, 'u'), false);
  });

  it('are never rehashed: the groupware must keep reading its own table', () => {
    assert.equal(needsRehash(stored), false);
  });
});
