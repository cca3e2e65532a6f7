// docs/configuration.md must describe every key and its variable: the schema is the source of truth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { envKeys } from './env.ts';
import { configSchema } from './schema.ts';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
/** The table row whose first cell is the key (cells may be padded by the formatter). */
const rowOf = (path: string) =>
  doc.split('\n').find((line) => line.startsWith(`| \`${path}\` `) && /^\|[^|]+\|/.test(line));

describe('docs/configuration.md', () => {
  it('has a row for every key, naming its variable', () => {
    for (const key of envKeys()) {
      const path = key.path.join('.');
      const row = rowOf(path);
      assert.ok(row, `no row for ${path}`);
      assert.ok(row.includes(`\`${key.name}\``), `row for ${path} does not name ${key.name}`);
    }
  });

  it('states the defaults the schema applies', () => {
    // The defaults of every kind of a union section (state.kind memory and redis); keys without a default
    // (optional settings) have nothing to state.
    const documents = [configSchema.parse({}), configSchema.parse({ state: { kind: 'redis' } })];
    const at = (doc: unknown, path: string[]) =>
      path.reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], doc);
    for (const key of envKeys()) {
      const value = documents.map((d) => at(d, key.path)).find((v) => v !== undefined);
      if (value === undefined) continue;
      const row = rowOf(key.path.join('.')) ?? '';
      assert.ok(row.includes(String(value)), `row for ${key.path.join('.')} does not show its default ${value}`);
    }
  });
});
