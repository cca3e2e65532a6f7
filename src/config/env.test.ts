import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envKeys, envName, readEnvOverrides } from './env.ts';

describe('environment overrides', () => {
  it('names variables after the key path', () => {
    assert.equal(envName(['server', 'port']), 'DAVGATE_SERVER_PORT');
    assert.equal(envName(['server', 'publicPrefix']), 'DAVGATE_SERVER_PUBLIC_PREFIX');
    assert.equal(envName(['limits', 'maxMultigetHrefs']), 'DAVGATE_LIMITS_MAX_MULTIGET_HREFS');
  });

  it('derives one variable per scalar key, including the keys of every storage kind', () => {
    const names = envKeys().map((k) => k.name);
    for (const n of ['DAVGATE_SERVER_HOST', 'DAVGATE_STORAGE_KIND', 'DAVGATE_STORAGE_DATA_DIR', 'DAVGATE_STATE_KIND']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('coerces numbers and booleans and leaves other text alone', () => {
    const { values, sources } = readEnvOverrides({
      DAVGATE_SERVER_PORT: '9000',
      DAVGATE_SERVER_TRUST_PROXY: 'yes',
      DAVGATE_AUTH_REALM: '12345',
      DAVGATE_LIMITS_MAX_BODY_SIZE: '20 MiB',
    });
    assert.deepEqual(values, {
      server: { port: 9000, trustProxy: true },
      auth: { realm: '12345' },
      limits: { maxBodySize: '20 MiB' },
    });
    assert.equal(sources.get('server.port'), 'DAVGATE_SERVER_PORT');
  });

  it('keeps text that is not a number so validation can name the variable', () => {
    assert.deepEqual(readEnvOverrides({ DAVGATE_SERVER_PORT: 'eighty' }).values, { server: { port: 'eighty' } });
  });

  it('reports unknown DAVGATE_ variables and ignores other variables and DAVGATE_CONFIG', () => {
    const r = readEnvOverrides({ DAVGATE_SERVER_PROT: '1', DAVGATE_CONFIG: 'x.yaml', HOME: '/root' });
    assert.deepEqual(r.unknown, ['DAVGATE_SERVER_PROT']);
    assert.deepEqual(r.values, {});
  });
});
