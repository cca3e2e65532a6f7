// Reads a request body with a hard cap: 413 as soon as the limit is crossed (Content-Length or stream).
// Under `davgate serve` the bytes come straight from Node's IncomingMessage: going through the Fetch
// Request's body makes @hono/node-server build a full undici Request and a web stream per PUT (about a
// tenth of the server's CPU in the contended PUT benchmark, docs/performance.md). Elsewhere (app.request
// in tests, other runtimes) the Request's stream is read.
import type { IncomingMessage } from 'node:http';
import { DavError } from '../dav/dav-error.ts';

const tooLarge = () => new DavError(413, undefined, 'request body too large');

export async function readBody(req: Request, limit: number, incoming?: IncomingMessage): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  // Only an untouched message: once anything has read from it, its bytes are behind the Request's stream.
  if (incoming && !incoming.readableDidRead && typeof incoming.on === 'function') return readIncoming(incoming, limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  if (incoming.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = (err?: Error) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onClose);
      incoming.off('close', onClose);
      if (err) reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        done(tooLarge());
        // As cancelling the Request's stream did: the rest is not read (the connection closes).
        incoming.destroy();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(concat(chunks, size));
    };
    // A client that goes away mid-body ('aborted' error, or a close before the end): nothing half-read
    // reaches the handler.
    const onClose = () => done(new DavError(400, undefined, 'request body incomplete'));
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onClose);
    incoming.once('close', onClose);
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
