import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqlite } from '../../adapters/sql/open.ts';
import { verifyPassword } from '../auth/password.ts';
import { runCli } from './run.ts';
import { captureIo } from './test-io.ts';
import { tempDataDir, testRuntime } from './test-runtime.ts';

async function withData() {
  const dir = await tempDataDir();
  const run = async (args: string[], stdin?: string, tty?: string[]) => {
    const io = captureIo({ stdin, tty });
    const code = await runCli([...args, '--data-dir', dir], testRuntime, io);
    return { code, io };
  };
  const inspect = async <T>(fn: (store: Awaited<ReturnType<typeof openSqlite>>) => Promise<T>): Promise<T> => {
    const store = await openSqlite(join(dir, 'davgate.sqlite'));
    try {
      return await fn(store);
    } finally {
      store.close();
    }
  };
  return { run, inspect };
}

describe('davgate user', () => {
  it('add reads the password from standard input when it is not a terminal, and provisions', async () => {
    const { run, inspect } = await withData();
    const { code, io } = await run(
      ['user', 'add', 'alice', '--display-name', 'Alice A', '--email', 'a@example.com'],
      's3cret pass\n',
    );
    assert.equal(code, 0, io.stderr.join('\n'));
    assert.deepEqual(io.stdout, ['created user alice with calendars/calendar and addressbooks/contacts']);
    await inspect(async ({ users, backend }) => {
      assert.deepEqual(await users.get('alice'), { name: 'alice', displayName: 'Alice A', email: 'a@example.com' });
      assert.equal(await verifyPassword('s3cret pass', (await users.passwordHash('alice')) ?? ''), true);
      assert.equal((await backend.listCollections('alice', 'calendars')).length, 1);
    });
  });

  it('add takes only the first line and strips a CRLF ending', async () => {
    const { run, inspect } = await withData();
    assert.equal((await run(['user', 'add', 'bob'], 'first\r\nsecond\n')).code, 0);
    await inspect(async ({ users }) => {
      assert.equal(await verifyPassword('first', (await users.passwordHash('bob')) ?? ''), true);
    });
  });

  it('add prompts twice without echo on a terminal', async () => {
    const { run, inspect } = await withData();
    const { code, io } = await run(['user', 'add', 'carol'], undefined, ['pa\u007fw\r', 'pw\r']);
    assert.equal(code, 0, io.stderr.join('\n'));
    assert.deepEqual(
      io.prompts.filter((p) => p.trim()),
      ['New password: ', 'Repeat password: '],
    );
    assert.ok(!io.stdout.join('').includes('pw'), 'the password is not echoed');
    await inspect(async ({ users }) => {
      assert.equal(await verifyPassword('pw', (await users.passwordHash('carol')) ?? ''), true);
    });
  });

  it('add refuses mismatched terminal entries', async () => {
    const { run } = await withData();
    const { code, io } = await run(['user', 'add', 'carol'], undefined, ['one\r', 'two\r']);
    assert.equal(code, 1);
    assert.deepEqual(io.stderr, ['davgate: the passwords do not match']);
  });

  it('add refuses an empty password, a taken name and a bad name', async () => {
    const { run } = await withData();
    let r = await run(['user', 'add', 'dave'], '');
    assert.equal(r.code, 1);
    assert.match(r.io.stderr[0], /no password on standard input/);
    assert.equal((await run(['user', 'add', 'dave'], 'pw\n')).code, 0);
    r = await run(['user', 'add', 'dave'], 'pw\n');
    assert.deepEqual([r.code, r.io.stderr], [1, ['davgate: user dave already exists']]);
    r = await run(['user', 'add', 'a:b'], 'pw\n');
    assert.equal(r.code, 2);
    assert.match(r.io.stderr[0], /invalid user name "a:b"/);
    r = await run(['user', 'add', 'erin', '--email', 'not-an-address'], 'pw\n');
    assert.equal(r.code, 2);
  });

  it('add --generate prints a generated password that then verifies', async () => {
    const { run, inspect } = await withData();
    const { code, io } = await run(['user', 'add', 'frank', '--generate']);
    assert.equal(code, 0);
    const password = /^password for frank: (\S+)$/.exec(io.stdout[0])?.[1] ?? '';
    await inspect(async ({ users }) => {
      assert.equal(await verifyPassword(password, (await users.passwordHash('frank')) ?? ''), true);
    });
  });

  it('passwd replaces the hash; unknown users are an error', async () => {
    const { run, inspect } = await withData();
    await run(['user', 'add', 'gina'], 'old\n');
    assert.equal((await run(['user', 'passwd', 'gina'], 'new\n')).code, 0);
    await inspect(async ({ users }) => {
      const hash = (await users.passwordHash('gina')) ?? '';
      assert.equal(await verifyPassword('new', hash), true);
      assert.equal(await verifyPassword('old', hash), false);
    });
    const r = await run(['user', 'passwd', 'nobody'], 'x\n');
    assert.deepEqual([r.code, r.io.stderr], [1, ['davgate: no user nobody']]);
  });

  it('list prints name, display name and e-mail, tab-separated', async () => {
    const { run } = await withData();
    await run(['user', 'add', 'hank', '--display-name', 'Hank H', '--email', 'h@example.com'], 'x\n');
    await run(['user', 'add', 'ida'], 'x\n');
    assert.deepEqual((await run(['user', 'list'])).io.stdout, ['hank\tHank H\th@example.com', 'ida\tida']);
  });

  it('remove keeps data unless --purge', async () => {
    const { run, inspect } = await withData();
    await run(['user', 'add', 'jo'], 'x\n');
    await run(['user', 'add', 'kim'], 'x\n');
    assert.match((await run(['user', 'remove', 'jo'])).io.stdout[0], /data kept/);
    assert.match((await run(['user', 'remove', 'kim', '--purge'])).io.stdout[0], /and 2 collection\(s\)/);
    await inspect(async ({ users, backend }) => {
      assert.deepEqual(await users.list(), []);
      assert.equal((await backend.listCollections('jo', 'calendars')).length, 1);
      assert.equal((await backend.listCollections('kim', 'calendars')).length, 0);
    });
    assert.equal((await run(['user', 'remove', 'jo'])).code, 1);
  });

  it('an unknown subcommand or a stray argument is a usage error', async () => {
    const { run } = await withData();
    assert.equal((await run(['user', 'rename', 'x'])).code, 2);
    assert.equal((await run(['user', 'list', 'extra'])).code, 2);
    assert.equal((await run(['user', 'add', 'x', '--bogus'])).code, 2);
  });
});
