import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/load.ts';
import { CliError } from './io.ts';
import { type RunningServer, startServer } from './serve.ts';
import { captureIo } from './test-io.ts';
import { tempDataDir, testRuntime } from './test-runtime.ts';

async function configFor(dataDir: string, port = 0) {
  const { config } = await loadConfig({
    env: {},
    overrides: [
      { path: ['storage', 'dataDir'], value: dataDir, source: '--data-dir' },
      { path: ['server', 'port'], value: port, source: '--port' },
    ],
  });
  return config;
}

const propfind = (url: string, auth?: string) =>
  fetch(url, { method: 'PROPFIND', headers: { Depth: '0', ...(auth ? { Authorization: auth } : {}) } });

describe('davgate serve', () => {
  it('first start: creates a user, prints its password and client URLs, then one ready line', async () => {
    const dir = await tempDataDir();
    const io = captureIo({ env: { USER: 'alice' } });
    const running = await startServer(await configFor(dir), testRuntime, io);
    try {
      const ready = io.stdout.at(-1) ?? '';
      assert.equal(ready, `davgate listening on http://127.0.0.1:${running.port}/dav/`);
      assert.equal(io.stdout.filter((l) => l.startsWith('davgate listening on')).length, 1);
      const text = io.stdout.join('\n');
      assert.match(text, new RegExp(`server URL: +http://127\\.0\\.0\\.1:${running.port}/\n`));
      assert.match(text, new RegExp(`principal URL: +http://127\\.0\\.0\\.1:${running.port}/dav/principals/alice/\n`));
      const password = /password: +(\S+)/.exec(text)?.[1] ?? '';
      const auth = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
      assert.equal((await propfind(running.url, auth)).status, 207);
      assert.equal((await propfind(running.url)).status, 401);
      // The default collections exist.
      const home = await propfind(`${running.url}calendars/alice/calendar/`, auth);
      assert.equal(home.status, 207);
    } finally {
      await running.close();
    }
  });

  it('a second start with users prints no credentials', async () => {
    const dir = await tempDataDir();
    const first = await startServer(await configFor(dir), testRuntime, captureIo({ env: {} }));
    await first.close();
    const io = captureIo({ env: {} });
    const second = await startServer(await configFor(dir), testRuntime, io);
    await second.close();
    assert.deepEqual(io.stdout, [`davgate listening on http://127.0.0.1:${second.port}/dav/`]);
  });

  it('the first user is named admin when $USER is not a usable name', async () => {
    const io = captureIo({ env: { USER: 'not valid!' } });
    const running = await startServer(await configFor(await tempDataDir()), testRuntime, io);
    await running.close();
    assert.match(io.stdout.join('\n'), /user name: +admin$/m);
  });

  it('close() lets an in-flight request finish and then stops listening', async () => {
    const running: RunningServer = await startServer(await configFor(await tempDataDir()), testRuntime, captureIo());
    const pending = propfind(running.url);
    await new Promise((r) => setTimeout(r, 10));
    await running.close();
    assert.equal((await pending).status, 401);
    await assert.rejects(propfind(running.url));
  });

  it('a busy port is a clear error, and the store is closed again', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    let closed = 0;
    const runtime = {
      ...testRuntime,
      openStore: async (config: Parameters<typeof testRuntime.openStore>[0]) => {
        const store = await testRuntime.openStore(config);
        return {
          ...store,
          close: () => {
            closed++;
            return store.close();
          },
        };
      },
    };
    try {
      await assert.rejects(startServer(await configFor(await tempDataDir(), port), runtime, captureIo()), (err) => {
        assert.ok(err instanceof CliError);
        assert.equal(err.message, `cannot listen on http://127.0.0.1:${port}: address already in use`);
        return true;
      });
      assert.equal(closed, 1);
    } finally {
      blocker.close();
    }
  });
});
