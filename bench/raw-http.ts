// A lean HTTP/1.1 keep-alive client for benchmark phases whose client runs on the same cores as the
// server under test: one connection, one request at a time, the request written with one socket write and
// the answer parsed only as far as the benchmark needs (status, ETag, body by Content-Length). Node's http
// client spends about 300 µs of CPU per request on this machine, CPU the measured server then lacks.
// Chunked answers (streamed multistatus) are decoded once complete; other framings are refused.
import { connect, type Socket } from 'node:net';
import type { Target } from './lib.ts';
import { AUTH } from './server.ts';

export interface RawReply {
  status: number;
  etag: string | undefined;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawConnection {
  readonly #socket: Socket;
  readonly #host: string;
  /** What arrived and is not parsed yet, kept as read (joined once an answer is complete: no quadratic copying). */
  #parts: Buffer[] = [];
  #size = 0;
  /** The head of the answer being received, once complete. */
  #head: { status: number; etag: string | undefined; bodyAt: number; length: number | undefined } | undefined;
  #waiting: { resolve: (r: RawReply) => void; reject: (e: Error) => void; method: string } | undefined;
  #failed: Error | undefined;

  private constructor(socket: Socket, host: string) {
    this.#socket = socket;
    this.#host = host;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#parts.push(chunk);
      this.#size += chunk.length;
      this.#parse();
    });
    const fail = (e: Error) => {
      this.#failed = e;
      this.#waiting?.reject(e);
      this.#waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(target: Target): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = connect(target.port, target.host, () => resolve(new RawConnection(s, `${target.host}:${target.port}`)));
      s.once('error', reject);
    });
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<RawReply> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#waiting) return Promise.reject(new Error('one request at a time'));
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}\r\nAuthorization: ${AUTH}\r\n`;
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
    if (body !== '' || method === 'PUT') head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject, method };
      this.#socket.write(`${head}\r\n${body}`);
    });
  }

  #joined(): Buffer {
    if (this.#parts.length > 1) this.#parts = [Buffer.concat(this.#parts, this.#size)];
    return this.#parts[0] ?? Buffer.alloc(0);
  }

  /** The last `n` bytes received (for the end of a chunked body), without joining everything. */
  #tail(n: number): Buffer {
    const tail: Buffer[] = [];
    let got = 0;
    for (let i = this.#parts.length - 1; i >= 0 && got < n; i--) {
      tail.unshift(this.#parts[i]);
      got += this.#parts[i].length;
    }
    const t = tail.length === 1 ? tail[0] : Buffer.concat(tail);
    return t.subarray(Math.max(0, t.length - n));
  }

  #done(rest: Buffer, reply: RawReply): void {
    const w = this.#waiting;
    this.#parts = rest.length ? [rest] : [];
    this.#size = rest.length;
    this.#head = undefined;
    this.#waiting = undefined;
    w?.resolve(reply);
  }

  #parse(): void {
    const w = this.#waiting;
    if (!w) return;
    if (!this.#head) {
      const buf = this.#joined();
      const end = buf.indexOf(HEADER_END);
      if (end < 0) return;
      const head = buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const chunked = !length && /\r\ntransfer-encoding:\s*chunked/i.test(head);
      if (!length && !chunked && /\r\ntransfer-encoding:/i.test(head)) {
        this.#waiting = undefined;
        w.reject(new Error(`raw-http: unsupported answer framing\n${head}`));
        return;
      }
      const size = w.method === 'HEAD' || status === 204 || status === 304 || !length ? 0 : Number(length[1]);
      const etag = /\r\netag:\s*([^\r\n]*)/i.exec(head)?.[1];
      this.#head = { status, etag, bodyAt: end + 4, length: chunked ? undefined : size };
    }
    const h = this.#head;
    if (h.length === undefined) {
      // Chunked: complete once the last-chunk and its CRLF have arrived (checked by the full parse).
      if (!this.#tail(5).equals(LAST_CHUNK) && this.#size > h.bodyAt + 5) return;
      const buf = this.#joined();
      const body = chunkedBody(buf, h.bodyAt);
      if (!body) return; // not complete yet
      this.#done(buf.subarray(body.next), { status: h.status, etag: h.etag, body: body.text });
      return;
    }
    if (this.#size < h.bodyAt + h.length) return;
    const buf = this.#joined();
    const body = buf.toString('utf8', h.bodyAt, h.bodyAt + h.length);
    this.#done(buf.subarray(h.bodyAt + h.length), { status: h.status, etag: h.etag, body });
  }

  close(): void {
    this.#socket.destroy();
  }
}

const CRLF = Buffer.from('\r\n');
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/** A complete chunked body starting at `from` (RFC 9112 §7.1; no trailers), or undefined while incomplete. */
function chunkedBody(buf: Buffer, from: number): { text: string; next: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buf.indexOf(CRLF, at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, eol), 16);
    if (Number.isNaN(size)) throw new Error('raw-http: bad chunk size');
    if (size === 0) {
      if (buf.length < eol + 4) return undefined; // the CRLF after the last chunk
      return { text: Buffer.concat(parts).toString('utf8'), next: eol + 4 };
    }
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
