import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { type AuthEnv, basicAuth } from './basic-auth.ts';
import { type LdapBindPort, ldapAuthenticator } from './ldap-auth.ts';

const header = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** A directory with one user; records every bind. */
function directory(opts: { down?: boolean } = {}) {
  const binds: string[] = [];
  const port: LdapBindPort = {
    async findUserDn(user) {
      if (opts.down) throw new Error('ECONNREFUSED');
      return user === 'ada' ? 'uid=ada,ou=people,dc=x' : undefined;
    },
    async verifyBind(dn, password) {
      binds.push(dn);
      return dn === 'uid=ada,ou=people,dc=x' && password === 'analytical';
    },
    decoyDn: () => 'cn=no-such-user,ou=people,dc=x',
  };
  return { port, binds };
}

function app(port: LdapBindPort, cacheSeconds = 60) {
  const a = new Hono<AuthEnv>();
  a.use(
    '*',
    basicAuth({
      users: { passwordHash: async () => undefined, setPasswordHash: async () => false },
      authenticator: ldapAuthenticator(port),
      realm: 'davgate',
      cacheSeconds,
    }),
  );
  a.get('/', (c) => c.text(c.get('user')));
  return a;
}

describe('LDAP bind authentication (RFC 4513 §5.1.3)', () => {
  it('the right password binds as the user entry found by the filter', async () => {
    const d = directory();
    const res = await app(d.port).request('/', { headers: { Authorization: header('ada', 'analytical') } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ada');
    assert.deepEqual(d.binds, ['uid=ada,ou=people,dc=x']);
  });

  it('wrong password and unknown user: the same 401, and both cost one bind', async () => {
    const d = directory();
    const a = app(d.port);
    const wrong = await a.request('/', { headers: { Authorization: header('ada', 'babbage') } });
    const unknown = await a.request('/', { headers: { Authorization: header('charles', 'babbage') } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.headers.get('www-authenticate'), unknown.headers.get('www-authenticate'));
    assert.equal(await wrong.text(), await unknown.text());
    assert.deepEqual(d.binds, ['uid=ada,ou=people,dc=x', 'cn=no-such-user,ou=people,dc=x']);
  });

  it('RFC 4513 §5.1.2: an empty password never reaches the directory (it would be an anonymous bind)', async () => {
    const d = directory();
    assert.equal(await ldapAuthenticator(d.port).verify('ada', ''), false);
    const res = await app(d.port).request('/', { headers: { Authorization: header('ada', '') } });
    assert.equal(res.status, 401);
    assert.deepEqual(d.binds, []);
  });

  it('successful checks are cached briefly: one bind for many requests', async () => {
    const d = directory();
    const a = app(d.port, 60);
    for (let i = 0; i < 5; i++) {
      assert.equal((await a.request('/', { headers: { Authorization: header('ada', 'analytical') } })).status, 200);
    }
    assert.equal(d.binds.length, 1);
  });

  it('an unreachable directory is 503 with Retry-After, not a 401 that makes clients forget the password', async () => {
    const res = await app(directory({ down: true }).port).request('/', {
      headers: { Authorization: header('ada', 'x') },
    });
    assert.equal(res.status, 503);
    assert.ok(res.headers.get('retry-after'));
  });
});
