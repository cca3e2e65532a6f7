// A minimal Redis client for the test support code: one RESP request per fresh loopback socket and
// readers for its replies and INFO sections (no client library, so support code cannot share its bugs).
import { Socket } from 'node:net';

export const HOST = '127.0.0.1';

/** One RESP request over a fresh socket (no client library, so support code cannot share its bugs). */
export function redisCommand(port: number, args: string[], timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis ${port}: ${args[0]} timed out`));
    }, timeoutMs);
    const done = (err: Error | undefined, value?: string) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value as string);
    };
    sock.once('error', (e) => done(e));
    sock.connect(port, HOST, () => {
      sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      // Cheap completeness test first: a reply ends with CRLF.
      if (d.length < 2 || d[d.length - 2] !== 13 || d[d.length - 1] !== 10) return;
      const parsed = parseReply(Buffer.concat(chunks, size));
      if (parsed === undefined) return;
      if (parsed.error) done(new Error(parsed.error));
      else done(undefined, parsed.text);
    });
  });
}

/** Minimal RESP2 reply reader: simple strings, errors, integers, bulk strings, arrays (joined by \n). */
function parseReply(buf: Buffer): { text?: string; error?: string } | undefined {
  const read = (at: number): { text: string; end: number } | undefined => {
    const nl = buf.indexOf('\r\n', at);
    if (nl < 0) return undefined;
    const type = String.fromCharCode(buf[at]);
    const head = buf.toString('utf8', at + 1, nl);
    if (type === '$') {
      const len = Number(head);
      if (len < 0) return { text: '', end: nl + 2 };
      if (buf.length < nl + 2 + len + 2) return undefined;
      return { text: buf.toString('utf8', nl + 2, nl + 2 + len), end: nl + 2 + len + 2 };
    }
    if (type === '*') {
      const n = Number(head);
      const parts: string[] = [];
      let end = nl + 2;
      for (let i = 0; i < n; i++) {
        const r = read(end);
        if (!r) return undefined;
        parts.push(r.text);
        end = r.end;
      }
      return { text: parts.join('\n'), end };
    }
    return { text: head, end: nl + 2 };
  };
  if (buf[0] === 45 /* - */) {
    const r = read(0);
    return r && { error: r.text };
  }
  const r = read(0);
  return r && { text: r.text };
}

/** Parses an INFO section into key → value. */
export function parseInfo(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Calls per command from INFO commandstats (e.g. { evalsha: 2, hgetall: 1 }). */
export async function commandStats(port: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, v] of parseInfo(await redisCommand(port, ['INFO', 'commandstats']))) {
    const m = /^cmdstat_(.+)$/.exec(k);
    const calls = /(?:^|,)calls=(\d+)/.exec(v);
    if (m && calls) out[m[1]] = Number(calls[1]);
  }
  return out;
}
