import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { DavError } from '../dav/dav-error.ts';
import { readBody } from './body.ts';

/** A real HTTP server whose handler reads each body straight from Node's IncomingMessage with `limit`. */
async function withServer(limit: number, fn: (port: number, results: Promise<Uint8Array>[]) => Promise<void>) {
  const results: Promise<Uint8Array>[] = [];
  const server = createServer((incoming, res) => {
    const headers = new Headers();
    const length = incoming.headers['content-length'];
    if (length) headers.set('content-length', length);
    const read = readBody(new Request('http://localhost/', { headers }), limit, incoming as IncomingMessage);
    results.push(read);
    read.then(
      (b) => res.end(`read ${b.byteLength}`),
      (e: unknown) => {
        res.statusCode = e instanceof DavError ? e.status : 500;
        res.end();
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as { port: number }).port, results);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** Writes `parts` one by one on a plain socket; resolves with what the server answered until it closed. */
function send(port: number, parts: (string | Buffer)[], end = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const p of parts) {
        socket.write(p);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (end) socket.end();
      else socket.destroy();
    });
    const out: Buffer[] = [];
    socket.on('data', (d: Buffer) => out.push(d));
    socket.on('close', () => resolve(Buffer.concat(out).toString('latin1')));
    socket.on('error', reject);
  });
}

const head = (extra: string) => `PUT /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`;

describe('readBody from Node’s IncomingMessage (davgate serve)', () => {
  it('gives the exact bytes of a body sent in several writes, non-UTF-8 bytes included', async () => {
    await withServer(1000, async (port, results) => {
      const body = Buffer.from([0xff, 0x00, 0xfe, ...Buffer.from('BEGIN:VCARD\r\n'), 0xc3]);
      await send(port, [head(`Content-Length: ${body.length}\r\n`), body.subarray(0, 4), body.subarray(4)]);
      assert.deepEqual(Buffer.from(await results[0]), body);
    });
  });

  it('reads a chunked body whole', async () => {
    await withServer(1000, async (port, results) => {
      const reply = await send(port, [
        head('Transfer-Encoding: chunked\r\n'),
        '5\r\nhello\r\n',
        '6\r\n world\r\n',
        '0\r\n\r\n',
      ]);
      assert.match(reply, /^HTTP\/1\.1 200/);
      assert.equal(Buffer.from(await results[0]).toString(), 'hello world');
    });
  });

  it('a chunked body that crosses the limit is 413, and the rest is not read', async () => {
    await withServer(10, async (port, results) => {
      await send(port, [head('Transfer-Encoding: chunked\r\n'), '8\r\n12345678\r\n', '8\r\n12345678\r\n'], false);
      await assert.rejects(results[0], (e) => e instanceof DavError && e.status === 413);
    });
  });

  it('a declared Content-Length over the limit is 413 before any byte is read', async () => {
    await withServer(10, async (port, results) => {
      const reply = await send(port, [head('Content-Length: 11\r\n')], false);
      await assert.rejects(results[0], (e) => e instanceof DavError && e.status === 413);
      assert.match(reply, /^HTTP\/1\.1 413/);
    });
  });

  it('a client that goes away mid-body gives an error, never a partial body', async () => {
    await withServer(1000, async (port, results) => {
      await send(port, [head('Content-Length: 100\r\n'), 'only part of it'], false);
      await assert.rejects(results[0], (e) => e instanceof DavError && e.status === 400);
    });
  });

  it('without a Node message the Request’s own stream is read (app.request, other runtimes)', async () => {
    const body = await readBody(new Request('http://localhost/', { method: 'PUT', body: 'abc' }), 10);
    assert.equal(Buffer.from(body).toString(), 'abc');
    await assert.rejects(
      readBody(new Request('http://localhost/', { method: 'PUT', body: 'x'.repeat(11) }), 10),
      (e) => e instanceof DavError && e.status === 413,
    );
  });
});
