import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlChunks } from '../dav/response.ts';
import { toResponse } from './dav-handler.ts';

async function* chunks(parts: string[], failAfter?: number): AsyncGenerator<string, undefined> {
  for (const [i, p] of parts.entries()) {
    if (i === failAfter) throw new Error('backend down');
    yield p;
  }
  return undefined;
}

describe('toResponse: streamed multistatus bodies', () => {
  it('a body complete in its first chunk is sent as one string with a length', async () => {
    const body: XmlChunks = { kind: 'xml-chunks', head: '<?xml version="1.0"?><a>é</a>' };
    const res = toResponse({ status: 207, body });
    assert.equal(res.status, 207);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    assert.equal(await res.text(), '<?xml version="1.0"?><a>é</a>');
  });

  it('later chunks are read from the producer as the body is read, UTF-8 encoded', async () => {
    const body: XmlChunks = { kind: 'xml-chunks', head: '<a>', rest: chunks(['<b>ü</b>', '<c/>', '</a>']) };
    const res = toResponse({ status: 207, body }, { 'X-Request-Id': 'r1' });
    assert.equal(res.headers.get('x-request-id'), 'r1');
    assert.equal(await res.text(), '<a><b>ü</b><c/></a>');
  });

  it('an error after the first bytes aborts the body and is logged', async () => {
    const errors: string[] = [];
    const log = { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
    const body: XmlChunks = { kind: 'xml-chunks', head: '<a>', rest: chunks(['<b/>', '</a>'], 1) };
    const res = toResponse({ status: 207, body }, {}, log);
    await assert.rejects(res.text(), /backend down/);
    assert.equal(errors.length, 1);
  });
});
