import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
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

/** A server on a fresh data directory whose first user is alice, and her Authorization header. */
async function startAsAlice(): Promise<{ running: RunningServer; auth: string }> {
  const io = captureIo({ env: { USER: 'alice' } });
  const running = await startServer(await configFor(await tempDataDir()), testRuntime, io);
  const password = /password: +(\S+)/.exec(io.stdout.join('\n'))?.[1] ?? '';
  return { running, auth: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` };
}

describe('davgate serve: HTTP/1.0 clients', () => {
  it('a long multistatus goes to an HTTP/1.0 client without chunked framing, ended by closing', async () => {
    const { running, auth } = await startAsAlice();
    try {
      const book = `${running.url}addressbooks/alice/contacts/`;
      // Enough members for an answer over the 64 KB a streamed multistatus sends before chunking.
      for (let i = 0; i < 300; i++) {
        const card = `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c${i}\r\nFN:Person ${i}\r\nN:${i};Person;;;\r\nEND:VCARD\r\n`;
        const put = await fetch(`${book}c${i}.vcf`, {
          method: 'PUT',
          headers: { Authorization: auth, 'Content-Type': 'text/vcard' },
          body: card,
        });
        assert.equal(put.status, 201);
      }
      const body =
        '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/><d:displayname/></d:prop></d:propfind>';
      const raw = await rawRequest(
        running.port,
        `PROPFIND /dav/addressbooks/alice/contacts/ HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nDepth: 1\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      const [head, payload] = splitHead(raw);
      assert.match(head, /^HTTP\/1\.[01] 207/);
      assert.doesNotMatch(head, /transfer-encoding/i);
      assert.ok(payload.length > 64 * 1024, `answer of ${payload.length} bytes`);
      assert.ok(payload.trimEnd().endsWith('</d:multistatus>'), 'the whole document, no chunk sizes');
      assert.equal((payload.match(/<d:response>/g) ?? []).length, 301);
    } finally {
      await running.close();
    }
  });
});

describe('davgate serve: request bodies', () => {
  it('a chunked PUT is stored byte for byte, and its ETag is the one GET gives', async () => {
    const { running, auth } = await startAsAlice();
    try {
      const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:chunked-1\r\nFN:Jürgen Ünal\r\nN:Ünal;Jürgen;;;\r\nEND:VCARD\r\n';
      const bytes = Buffer.from(card);
      const chunk = (b: Buffer) => `${b.length.toString(16)}\r\n${b.toString('latin1')}\r\n`;
      const raw = await rawRequest(
        running.port,
        `PUT /dav/addressbooks/alice/contacts/chunked.vcf HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nContent-Type: text/vcard\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${chunk(bytes.subarray(0, 30))}${chunk(bytes.subarray(30))}0\r\n\r\n`,
        'latin1',
      );
      assert.match(raw, /^HTTP\/1\.1 201/);
      const etag = /\r\netag: ("[^"]+")/i.exec(raw)?.[1];
      const got = await fetch(`${running.url}addressbooks/alice/contacts/chunked.vcf`, {
        headers: { Authorization: auth },
      });
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
      assert.equal(got.headers.get('etag'), etag);
    } finally {
      await running.close();
    }
  });
});

function splitHead(raw: string): [string, string] {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? [raw, ''] : [raw.slice(0, i), raw.slice(i + 4)];
}

/** Sends one request on a plain socket and returns everything the server wrote until it closed. */
async function rawRequest(port: number, text: string, encoding?: BufferEncoding): Promise<string> {
  return new Promise((resolve, reject) => {
    // With an encoding the socket stays open for writing (Connection: close ends it from the server's side).
    const socket = connect(port, '127.0.0.1', () =>
      encoding ? socket.write(Buffer.from(text, encoding)) : socket.end(text),
    );
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('end', () => {
      socket.end();
      resolve(Buffer.concat(parts).toString('utf8'));
    });
    socket.on('error', reject);
  });
}
