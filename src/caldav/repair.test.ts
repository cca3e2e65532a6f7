import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crlfOnly, repairText } from './repair.ts';

/** The check repairText made before crlfOnly: a regular expression over the whole text. */
const slow = (t: string) => !/\r\r\n|\r(?!\n)|(?<!\r)\n/.test(t);

describe('line endings (quirks Q27/Q29)', () => {
  it('crlfOnly answers as the regular expression did, for every short mix of CR, LF and text', () => {
    const alphabet = ['\r', '\n', 'a', '\r\n'];
    const all = (n: number): string[] => (n === 0 ? [''] : all(n - 1).flatMap((s) => alphabet.map((c) => s + c)));
    let tried = 0;
    for (let n = 0; n <= 6; n++) {
      for (const t of all(n)) {
        assert.equal(crlfOnly(t), slow(t), JSON.stringify(t));
        tried++;
      }
    }
    assert.ok(tried > 5000);
  });

  it('repairText normalises LF, CR and CR CR LF to CRLF and leaves CRLF text as it is', () => {
    assert.deepEqual(repairText('A\r\nB\r\n'), { text: 'A\r\nB\r\n', changes: [] });
    for (const t of ['A\nB\n', 'A\rB\r\n', 'A\r\r\nB\r\n']) {
      assert.deepEqual(repairText(t), { text: 'A\r\nB\r\n', changes: ['normalised line endings to CRLF'] });
    }
  });
});
