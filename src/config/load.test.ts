import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.ts';
import { loadConfig } from './load.ts';
import { sqliteFile } from './paths.ts';

async function yamlFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'davgate-config-'));
  const file = join(dir, 'davgate.yaml');
  await writeFile(file, text);
  return file;
}

async function configErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('storage.mapping and storage.passwordFile in the file resolve beside it; from the environment, against the working directory', async () => {
    const file = await yamlFile(
      'storage:\n  kind: postgres\n  host: db\n  database: groupware\n  user: dav\n  profile: columns\n  mapping: map/groupware.yaml\n  passwordFile: secrets/db\n',
    );
    const { config } = await loadConfig({ file, env: {} });
    assert.equal(config.storage.kind, 'postgres');
    if (config.storage.kind !== 'postgres') return;
    assert.equal(config.storage.mapping, join(dirname(file), 'map/groupware.yaml'));
    assert.equal(config.storage.passwordFile, join(dirname(file), 'secrets/db'));
    const fromEnv = await loadConfig({ file, env: { DAVGATE_STORAGE_MAPPING: 'other.yaml' } });
    assert.equal(fromEnv.config.storage.kind === 'postgres' && fromEnv.config.storage.mapping, 'other.yaml');
    const absolute = await yamlFile('storage:\n  profile: columns\n  mapping: /etc/davgate/map.yaml\n');
    assert.equal((await loadConfig({ file: absolute, env: {} })).config.storage.mapping, '/etc/davgate/map.yaml');
  });

  it('needs no file: the embedded default', async () => {
    const { config, file } = await loadConfig({ env: {} });
    assert.equal(file, undefined);
    assert.equal(config.server.port, 8008);
    assert.equal(config.storage.kind, 'sqlite');
  });

  it('precedence: defaults < file < environment < flags', async () => {
    const file = await yamlFile('server:\n  port: 7000\n  host: 0.0.0.0\nauth:\n  realm: home\n');
    const { config } = await loadConfig({
      file,
      env: { DAVGATE_SERVER_PORT: '7100', DAVGATE_AUTH_REALM: 'office' },
      overrides: [{ path: ['server', 'port'], value: 7200, source: '--port' }],
    });
    assert.equal(config.server.port, 7200);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.auth.realm, 'office');
    assert.equal(config.server.publicPrefix, '/dav');
  });

  it('reads the file named by DAVGATE_CONFIG', async () => {
    const file = await yamlFile('logging:\n  level: debug\n');
    const { config, file: used } = await loadConfig({ env: { DAVGATE_CONFIG: file } });
    assert.equal(used, file);
    assert.equal(config.logging.level, 'debug');
  });

  it('a storage section without kind keeps the default kind', async () => {
    const file = await yamlFile('storage:\n  dataDir: /var/lib/davgate\n');
    const { config } = await loadConfig({ file, env: {} });
    assert.equal(config.storage.kind, 'sqlite');
    assert.equal(sqliteFile(config.storage), '/var/lib/davgate/davgate.sqlite');
  });

  it('an empty file is the default', async () => {
    const { config } = await loadConfig({ file: await yamlFile(''), env: {} });
    assert.equal(config.server.port, 8008);
  });

  it('a bad value in the file names the key path and the file', async () => {
    const file = await yamlFile('server:\n  port: eighty\n');
    const msg = await configErrorOf(loadConfig({ file, env: {} }));
    assert.equal(msg, `config error: server.port: expected number, received string (in ${file})`);
  });

  it('a bad environment value names the variable', async () => {
    const msg = await configErrorOf(loadConfig({ env: { DAVGATE_SERVER_PORT: 'eighty' } }));
    assert.equal(msg, 'config error: server.port: expected number, received string (from DAVGATE_SERVER_PORT)');
  });

  it('a bad flag names the flag', async () => {
    const msg = await configErrorOf(
      loadConfig({ env: {}, overrides: [{ path: ['server', 'port'], value: 70000, source: '--port' }] }),
    );
    assert.match(msg, /^config error: server\.port: .*65535.* \(from --port\)$/);
  });

  it('an unknown key in the file is named in full', async () => {
    const file = await yamlFile('server:\n  prot: 1\n');
    const msg = await configErrorOf(loadConfig({ file, env: {} }));
    assert.equal(msg, `config error: server.prot: unknown key (in ${file})`);
  });

  it('an unknown storage kind is named', async () => {
    const msg = await configErrorOf(loadConfig({ env: { DAVGATE_STORAGE_KIND: 'floppy' } }));
    assert.match(msg, /^config error: storage\.kind: .*sqlite.*\(from DAVGATE_STORAGE_KIND\)$/);
  });

  it('reports every problem, one per line', async () => {
    const file = await yamlFile('server:\n  port: x\nlogging:\n  level: loud\n');
    const msg = await configErrorOf(loadConfig({ file, env: {} }));
    const lines = msg.split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^config error: server\.port: /);
    assert.match(lines[1], /^config error: logging\.level: /);
  });

  it('YAML syntax errors and missing files stop with a config error', async () => {
    assert.match(await configErrorOf(loadConfig({ file: await yamlFile('server: [\n'), env: {} })), /^config error: /);
    assert.match(
      await configErrorOf(loadConfig({ file: '/nonexistent/davgate.yaml', env: {} })),
      /^config error: cannot read \/nonexistent\/davgate\.yaml: no such file$/,
    );
    assert.match(
      await configErrorOf(loadConfig({ file: await yamlFile('- a\n- b\n'), env: {} })),
      /expected a mapping/,
    );
  });

  it('warns about unknown DAVGATE_ variables without failing', async () => {
    const { warnings } = await loadConfig({ env: { DAVGATE_SERVER_PROT: '1' } });
    assert.deepEqual(warnings, ['ignoring unknown environment variable DAVGATE_SERVER_PROT']);
  });
});
