import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { contentEtag } from './etag.ts';

const enc = new TextEncoder();

describe('contentEtag', () => {
  test('RFC 9110 §8.8.3: identical bytes give the same strong etag', () => {
    const a = contentEtag(enc.encode('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'));
    const b = contentEtag(enc.encode('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'));
    assert.equal(a, b);
  });

  test('a one-byte change gives a different etag', () => {
    assert.notEqual(contentEtag(enc.encode('UID:1')), contentEtag(enc.encode('UID:2')));
  });

  test('is unquoted, base64url only (safe inside a quoted entity-tag), 27 chars', () => {
    const tag = contentEtag(new Uint8Array([0, 255, 254, 10, 13, 34]));
    assert.equal(tag.length, 27);
    assert.match(tag, /^[A-Za-z0-9_-]{27}$/);
  });

  test('is the truncated base64url SHA-256 of the bytes (stable across versions and replicas)', () => {
    const bytes = enc.encode('hello');
    const full = createHash('sha256').update(bytes).digest('base64url');
    assert.equal(contentEtag(bytes), full.slice(0, 27));
    assert.equal(contentEtag(bytes), 'LPJNul-wow4m6DsqxbninhsWHlw');
  });

  test('hashes only the viewed bytes of a subarray', () => {
    const buf = enc.encode('xxhelloyy');
    assert.equal(contentEtag(buf.subarray(2, 7)), contentEtag(enc.encode('hello')));
  });

  test('empty body has a tag too', () => {
    assert.equal(contentEtag(new Uint8Array()), contentEtag(new Uint8Array(0)));
    assert.equal(contentEtag(new Uint8Array()).length, 27);
  });
});
