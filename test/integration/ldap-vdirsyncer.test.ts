// vdirsyncer (the Debian package) syncs the LDAP directory address book read-only into a local
// folder: the first sync copies every card, a second sync after one directory change transfers only
// that card, and a third with no change transfers nothing. Acceptance of issue 4.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Attribute, Change } from 'ldapts';
import { startLdapGateway } from '../support/ldap-gateway.ts';
import { hasExecutable, type RunningServer } from '../support/server.ts';
import { hasSlapd, person, type RunningSlapd, startSlapd } from '../support/slapd.ts';

const skip = !(await hasSlapd())
  ? 'slapd is not installed (Debian packages "slapd" and "ldap-utils")'
  : !(await hasExecutable('vdirsyncer'))
    ? 'vdirsyncer is not installed (Debian package "vdirsyncer")'
    : false;
const PEOPLE = 2000;
const GROUPS = 50;

function run(config: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'vdirsyncer',
      ['-c', config, ...args],
      { timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } },
      (err, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        if (err) reject(new Error(`vdirsyncer ${args.join(' ')} failed: ${err.message}\n${out.slice(-6000)}`));
        else resolve(out);
      },
    );
    child.stdin?.end('y\ny\n');
  });
}

/** Item operations in vdirsyncer's log. */
function operations(log: string): string[] {
  return log.split('\n').filter((l) => /Copying \((uploading|updating)\) item|Deleting item/.test(l));
}

describe('vdirsyncer: the LDAP address book, read-only (issue 4)', { skip, timeout: 900_000 }, () => {
  let slapd: RunningSlapd;
  let server: RunningServer;
  let base: string;
  let config: string;
  let local: string;

  before(async () => {
    slapd = await startSlapd({ people: PEOPLE, groups: GROUPS, tls: false });
    server = await startLdapGateway(slapd);
    base = await mkdtemp(join(tmpdir(), 'davgate-ldap-vdir-'));
    local = join(base, 'directory');
    await mkdir(local);
    config = join(base, 'config');
    const me = person(1);
    const q = JSON.stringify;
    await writeFile(
      config,
      [
        '[general]',
        `status_path = ${q(join(base, 'status'))}`,
        '',
        '[pair directory]',
        'a = "directory_remote"',
        'b = "directory_local"',
        'collections = null',
        // Local edits never travel to the directory.
        'conflict_resolution = "a wins"',
        '',
        '[storage directory_remote]',
        'type = "carddav"',
        `url = ${q(`${server.baseUrl.replace(/\/$/, '')}${server.prefix}/addressbooks/${me.uid}/directory/`)}`,
        `username = ${q(me.uid)}`,
        `password = ${q(me.password)}`,
        'read_only = true',
        '',
        '[storage directory_local]',
        'type = "filesystem"',
        `path = ${q(local)}`,
        'fileext = ".vcf"',
        '',
      ].join('\n'),
    );
    await run(config, 'discover');
  });
  after(async () => {
    await server?.stop();
    await slapd?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('the first sync copies every person and group into the folder', async () => {
    const log = await run(config, 'sync');
    const ops = operations(log);
    assert.equal(ops.length, PEOPLE + GROUPS, log.slice(-2000));
    const files = (await readdir(local)).filter((f) => f.endsWith('.vcf'));
    assert.equal(files.length, PEOPLE + GROUPS);
    const texts = await Promise.all(files.slice(0, 200).map((f) => readFile(join(local, f), 'utf8')));
    assert.ok(texts.every((t) => t.startsWith('BEGIN:VCARD\r\n') && /\r\nUID:[0-9a-f-]{36}\r\n/.test(t)));
  });

  it('after one directory change the next sync transfers only that card; with no change, nothing', async () => {
    const admin = await slapd.admin();
    try {
      await admin.modify(person(321).dn, [
        new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Head of Sync'] }) }),
      ]);
    } finally {
      await admin.unbind();
    }
    const log = await run(config, 'sync');
    const ops = operations(log);
    assert.equal(ops.length, 1, ops.join('\n'));
    assert.match(ops[0], /Copying \(updating\) item/);
    const files = (await readdir(local)).filter((f) => f.endsWith('.vcf'));
    const changed = (await Promise.all(files.map((f) => readFile(join(local, f), 'utf8')))).filter((t) =>
      t.includes('TITLE:Head of Sync'),
    );
    assert.equal(changed.length, 1);
    assert.match(changed[0], new RegExp(`FN:${person(321).cn}`));
    assert.deepEqual(operations(await run(config, 'sync')), []);
  });
});
