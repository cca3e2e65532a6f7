// docs/quirks.md lists every profile (matcher table and a section) and each profile has a recorded
// client session under test/clients/<id>/, so a new profile cannot ship undocumented or untested.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { PROFILES } from './registry.ts';

const doc = readFileSync(new URL('../../docs/quirks.md', import.meta.url), 'utf8');

describe('docs/quirks.md and test/clients', () => {
  for (const [i, p] of PROFILES.entries()) {
    it(`${p.id}: matcher row ${i + 1}, a section, a recorded session`, () => {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${i + 1} `));
      assert.ok(row?.includes(`\`${p.id}\``), `row ${i + 1} of the matcher table names ${p.id}`);
      assert.ok(doc.includes(`### \`${p.id}\``), `no section for ${p.id}`);
      const session = new URL(`../../test/clients/${p.id}/session.test.ts`, import.meta.url);
      assert.ok(existsSync(session), `no recorded session test/clients/${p.id}/session.test.ts`);
      assert.ok(doc.includes(`test/clients/${p.id}/`), `the section of ${p.id} does not name its session`);
    });
  }

  it('the configuration example is a valid configuration', () => {
    const block = /## Operator configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(block, 'no yaml example');
    const cfg = configSchema.parse(parse(block));
    assert.ok(cfg.quirks.profiles.length > 0);
    assert.equal(
      new Set(cfg.quirks.profiles.map((p) => p.id)).size,
      cfg.quirks.profiles.length,
      'one entry per profile',
    );
  });
});
