import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { type AuthEnv, basicAuth, parseBasicAuthorization } from './basic-auth.ts';
import { hashPassword } from './password.ts';

const FAST = { N: 1024, r: 8, p: 1 };

/** A password-hash store that counts lookups. */
function fakeUsers(entries: Record<string, string>) {
  const hashes = new Map(Object.entries(entries));
  const calls = { passwordHash: 0, setPasswordHash: [] as string[] };
  return {
    calls,
    hashes,
    async passwordHash(name: string) {
      calls.passwordHash++;
      return hashes.get(name);
    },
    async setPasswordHash(name: string, hash: string) {
      calls.setPasswordHash.push(name);
      hashes.set(name, hash);
      return true;
    },
  };
}

// Hashed once with the default cost (so no rehash is triggered) and shared by the tests.
const storedHashes = Promise.all([hashPassword('wonderland'), hashPassword('pässwörd:mit:doppelpunkt')]);

async function setup(opts: { cacheSeconds?: number; realm?: string; rehash?: boolean } = {}) {
  const [alice, jurgen] = opts.rehash ? [await hashPassword('wonderland', FAST), ''] : await storedHashes;
  const users = fakeUsers({ alice, jürgen: jurgen });
  let clock = 1_000_000;
  const app = new Hono<AuthEnv>();
  app.use(
    '*',
    basicAuth({ users, realm: opts.realm ?? 'davgate', cacheSeconds: opts.cacheSeconds ?? 60, now: () => clock }),
  );
  app.get('/whoami', (c) => c.text(c.get('user')));
  const tick = (seconds: number) => {
    clock += seconds * 1000;
  };
  return { app, users, tick };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const get = (app: Hono<AuthEnv>, authorization?: string) =>
  app.request('/whoami', { headers: authorization ? { authorization } : {} });

describe('Basic authentication (RFC 7617)', () => {
  it('§2: no credentials → 401 with a UTF-8 challenge', async () => {
    const { app } = await setup();
    const res = await get(app);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="davgate", charset="UTF-8"');
  });

  it('§2: right credentials pass and set the user', async () => {
    const { app } = await setup();
    const res = await get(app, basic('alice', 'wonderland'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'alice');
  });

  it('§2.1: UTF-8 user names and passwords containing colons', async () => {
    const { app } = await setup();
    const res = await get(app, basic('jürgen', 'pässwörd:mit:doppelpunkt'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'jürgen');
  });

  it('wrong password, unknown user and empty password → 401', async () => {
    const { app } = await setup();
    for (const [u, p] of [
      ['alice', 'wonderlanD'],
      ['bob', 'wonderland'],
      ['alice', ''],
    ]) {
      const res = await get(app, basic(u, p));
      assert.equal(res.status, 401, `${u}:${p}`);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    }
  });

  it('malformed Authorization headers → 401, never 500', async () => {
    const { app } = await setup();
    for (const h of [
      'Bearer abc',
      'Basic',
      'Basic !!!!',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
      'Basic Og==',
    ]) {
      assert.equal((await get(app, h)).status, 401, h);
    }
  });

  it('the scheme name is case-insensitive', async () => {
    const { app } = await setup();
    const h = basic('alice', 'wonderland').replace('Basic', 'bAsIc');
    assert.equal((await get(app, h)).status, 200);
  });

  it('quotes the realm', async () => {
    const { app } = await setup({ realm: 'my "home"' });
    assert.equal((await get(app)).headers.get('www-authenticate'), 'Basic realm="my \\"home\\"", charset="UTF-8"');
  });

  it('remembers a successful check for cacheSeconds, then checks again', async () => {
    const { app, users, tick } = await setup({ cacheSeconds: 60 });
    const h = basic('alice', 'wonderland');
    assert.equal((await get(app, h)).status, 200);
    assert.equal((await get(app, h)).status, 200);
    assert.equal(users.calls.passwordHash, 1);
    tick(61);
    assert.equal((await get(app, h)).status, 200);
    assert.equal(users.calls.passwordHash, 2);
  });

  it('the cache is keyed by user and password: a cached user with another password is refused', async () => {
    const { app } = await setup();
    assert.equal((await get(app, basic('alice', 'wonderland'))).status, 200);
    assert.equal((await get(app, basic('alice', 'wrong'))).status, 401);
  });

  it('failures are not cached: a password fixed in the store works at once', async () => {
    const { app, users } = await setup();
    assert.equal((await get(app, basic('alice', 'new-password'))).status, 401);
    users.hashes.set('alice', await hashPassword('new-password', FAST));
    assert.equal((await get(app, basic('alice', 'new-password'))).status, 200);
  });

  it('cacheSeconds 0 checks every request', async () => {
    const { app, users } = await setup({ cacheSeconds: 0 });
    const h = basic('alice', 'wonderland');
    await get(app, h);
    await get(app, h);
    assert.equal(users.calls.passwordHash, 2);
  });

  it('concurrent requests with the same credentials share one check', async () => {
    const { app, users } = await setup();
    const h = basic('alice', 'wonderland');
    const statuses = await Promise.all(Array.from({ length: 5 }, async () => (await get(app, h)).status));
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.equal(users.calls.passwordHash, 1);
  });

  it('upgrades a hash made with weaker parameters after a successful login', async () => {
    const { app, users } = await setup({ rehash: true });
    assert.equal((await get(app, basic('alice', 'wonderland'))).status, 200);
    for (let i = 0; i < 50 && users.calls.setPasswordHash.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(users.calls.setPasswordHash, ['alice']);
    assert.match(users.hashes.get('alice') ?? '', /^scrypt\$32768\$/);
  });
});

describe('parseBasicAuthorization', () => {
  it('splits at the first colon only', () => {
    assert.deepEqual(parseBasicAuthorization(basic('a', 'b:c')), { user: 'a', password: 'b:c' });
  });

  it('falls back to ISO-8859-1 for bytes that are not UTF-8', () => {
    const latin1 = `Basic ${Buffer.from('user:p\xe4ss', 'latin1').toString('base64')}`;
    assert.deepEqual(parseBasicAuthorization(latin1), { user: 'user', password: 'päss' });
  });
});
