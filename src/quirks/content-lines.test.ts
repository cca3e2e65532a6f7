// Content-line helpers (RFC 5545 §3.1): unchanged input comes back byte-identical (so the core keeps
// the ETag), long lines fold at 75 octets without splitting UTF-8.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editLines, fold, splitLine, unfold } from './content-lines.ts';
import { getParam, setParam } from './transforms/params.ts';

describe('content lines', () => {
  it('unfolds CRLF, LF and tab continuations', () => {
    assert.deepEqual(unfold('A:b\r\n c\nD:e\n\tf\r\n'), ['A:bc', 'D:ef']);
  });
  it('editLines returns the very same text when nothing changes', () => {
    const text = 'BEGIN:X\nA:b\n  folded\nEND:X\n';
    assert.equal(
      editLines(text, (l) => l),
      text,
    );
    assert.equal(
      editLines(text, () => undefined),
      text,
    );
    assert.equal(
      editLines(text, (l) => l.map((x) => x.replace('A:', 'B:'))),
      'BEGIN:X\r\nB:b folded\r\nEND:X\r\n',
    );
  });
  it('folds at 75 octets, never inside a UTF-8 sequence', () => {
    const line = `SUMMARY:${'ä'.repeat(60)}`;
    const folded = fold(line);
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75);
    assert.equal(unfold(folded).join(''), line);
  });
  it('splits name, parameters and value; quoted parameter values may hold colons', () => {
    assert.deepEqual(splitLine('ATTENDEE;CN="Doe: Jane";PARTSTAT=ACCEPTED:mailto:j@x'), {
      name: 'ATTENDEE',
      params: ';CN="Doe: Jane";PARTSTAT=ACCEPTED',
      value: 'mailto:j@x',
    });
    assert.equal(getParam(';CN="Doe: Jane";PARTSTAT=ACCEPTED', 'cn'), 'Doe: Jane');
    assert.equal(setParam(';CN=x;PARTSTAT=ACCEPTED', 'partstat', 'DECLINED'), ';CN=x;PARTSTAT=DECLINED');
    assert.equal(setParam(';CN=x', 'RSVP', 'TRUE'), ';CN=x;RSVP=TRUE');
    assert.equal(setParam(';CN=x;RSVP=TRUE', 'RSVP', undefined), ';CN=x');
  });
});
