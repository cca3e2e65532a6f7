// A minimal DAV client over fetch for integration tests: list a collection (PROPFIND Depth 1), GET,
// PUT and DELETE with ETag preconditions. Used to check what the server holds and to play a third
// device that edits data behind the sync clients' backs.
import assert from 'node:assert/strict';
import { basicAuth, type ServerUser } from '../support/server.ts';
import { parseMultistatus, textOf } from '../support/xml-assert.ts';

const PROPFIND_ETAGS =
  '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>';

export interface Member {
  href: string;
  etag: string;
}

export class DavClient {
  readonly origin: string;
  readonly user: ServerUser;

  constructor(origin: string, user: ServerUser) {
    this.origin = origin.replace(/\/+$/, '');
    this.user = user;
  }

  request(method: string, href: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.origin}${href}`, {
      method,
      body,
      headers: { Authorization: basicAuth(this.user), ...headers },
    });
  }

  /** The non-collection members of a collection with their getetag. */
  async list(collection: string): Promise<Member[]> {
    const res = await this.request('PROPFIND', collection, PROPFIND_ETAGS, {
      Depth: '1',
      'Content-Type': 'application/xml',
    });
    const text = await res.text();
    assert.equal(res.status, 207, `PROPFIND ${collection}: ${res.status} ${text}`);
    const out: Member[] = [];
    for (const r of parseMultistatus(text).responses) {
      if (decodeURIComponent(r.href) === decodeURIComponent(collection)) continue;
      const etag = r.props.get('{DAV:}getetag');
      if (etag?.status !== 200) continue;
      out.push({ href: r.href, etag: textOf(etag.el).trim() });
    }
    return out;
  }

  async get(href: string): Promise<{ body: string; etag: string | null }> {
    const res = await this.request('GET', href);
    const body = await res.text();
    assert.equal(res.status, 200, `GET ${href}: ${res.status} ${body}`);
    return { body, etag: res.headers.get('etag') };
  }

  async put(href: string, body: string, contentType: string, precondition: Record<string, string>): Promise<number> {
    const res = await this.request('PUT', href, body, { 'Content-Type': contentType, ...precondition });
    const text = await res.text();
    assert.ok(res.status === 201 || res.status === 204, `PUT ${href}: ${res.status} ${text}`);
    return res.status;
  }

  async delete(href: string, etag: string): Promise<void> {
    const res = await this.request('DELETE', href, undefined, { 'If-Match': etag });
    const text = await res.text();
    assert.equal(res.status, 204, `DELETE ${href}: ${res.status} ${text}`);
  }
}
