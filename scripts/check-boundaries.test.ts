import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkFile, importsOf, stripComments } from './check-boundaries.ts';

const rules = (file: string, text: string) => checkFile(file, text).map((v) => `${v.rule}@${v.line}`);

describe('boundary checker (DESIGN.md dependency rules)', () => {
  it('core-imports: src/dav, src/caldav and src/carddav must not import adapters or the Redis store', () => {
    assert.deepEqual(rules('src/dav/methods/get.ts', "import { openSqlite } from '../../../adapters/sql/open.ts';\n"), [
      'core-imports@1',
    ]);
    assert.deepEqual(rules('src/caldav/query.ts', "\nimport type { RedisStateStore } from '../state/redis.ts';\n"), [
      'core-imports@2',
    ]);
    assert.deepEqual(rules('src/carddav/x.ts', "const m = await import('../../adapters/memory/index.ts');"), [
      'core-imports@1',
    ]);
    assert.deepEqual(
      rules('src/dav/ok.ts', "import type { Backend } from '../backend/port.ts';\nimport '../state/store.ts';"),
      [],
    );
  });

  it('core-imports: the composition root may import adapters', () => {
    assert.deepEqual(rules('src/app.ts', "import { openSqlite } from '../adapters/sql/open.ts';"), []);
  });

  it('adapter-imports: adapters import only the backend port and pure helpers from src/', () => {
    const ok = [
      "import type { Backend } from '../../src/backend/port.ts';",
      "import { el } from '../../src/dav/xml/tree.ts';",
      "import type { UserStore } from '../../src/auth/user-store.ts';",
      "import { hashPassword } from '../../src/auth/password.ts';",
      "import { unfold } from '../../src/lib/ical-lines.ts';",
      "import { SqlDb } from './db.ts';",
      "import { DatabaseSync } from 'node:sqlite';",
    ].join('\n');
    assert.deepEqual(rules('adapters/sql/backend.ts', ok), []);
    const bad = [
      "import type { DavContext } from '../../src/dav/context.ts';",
      'export { MemoryStateStore } from "../../src/state/memory.ts";',
    ].join('\n');
    assert.deepEqual(rules('adapters/sql/backend.ts', bad), ['adapter-imports@1', 'adapter-imports@2']);
  });

  it('user-agent: only src/quirks reads the header, whatever its case', () => {
    assert.deepEqual(rules('src/http/access-log.ts', "const ua = c.req.header('User-Agent');"), ['user-agent@1']);
    assert.deepEqual(rules('src/caldav/x.ts', 'x;\nheaders.get("user-agent")'), ['user-agent@2']);
    assert.deepEqual(rules('adapters/google/client.ts', 'const h = req.headers[`USER-AGENT`];'), ['user-agent@1']);
    assert.deepEqual(rules('src/quirks/detect.ts', "c.req.header('user-agent')"), []);
  });

  it('test files are exempt', () => {
    assert.deepEqual(
      rules('src/dav/get.test.ts', "import '../../adapters/memory/backend.ts'; h.get('user-agent');"),
      [],
    );
    assert.deepEqual(rules('test/support/server.ts', "import '../../adapters/sql/open.ts';"), []);
  });

  it('comments do not count, strings that look like comments survive', () => {
    const text =
      "// import '../../adapters/sql/open.ts'\n/* 'user-agent' */ const u = 'http://x';\nimport '../../adapters/a.ts';";
    assert.deepEqual(rules('src/dav/x.ts', text), ['core-imports@3']);
    assert.match(stripComments(text), /'http:\/\/x'/);
  });

  it('finds multi-line, type-only, re-export and side-effect imports', () => {
    const code =
      "import {\n  a,\n  b,\n} from './a.ts';\nimport type { T } from './t.ts';\nexport * from './e.ts';\nimport './s.ts';\n";
    assert.deepEqual(importsOf(code), [
      { specifier: './a.ts', line: 4 },
      { specifier: './t.ts', line: 5 },
      { specifier: './e.ts', line: 6 },
      { specifier: './s.ts', line: 7 },
    ]);
  });

  it('as a command: exits 1 and prints file:line for each violation', async () => {
    const root = await mkdtemp(join(tmpdir(), 'davgate-boundaries-'));
    await mkdir(join(root, 'src/dav'), { recursive: true });
    await writeFile(join(root, 'src/dav/bad.ts'), "import { x } from '../../adapters/sql/open.ts';\n");
    const script = join(dirname(fileURLToPath(import.meta.url)), 'check-boundaries.ts');
    const bad = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^src\/dav\/bad\.ts:1: \[core-imports\] imports adapters\/sql\/open\.ts/m);
    await writeFile(join(root, 'src/dav/bad.ts'), "import { x } from '../backend/port.ts';\n");
    const good = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /boundaries: 1 files checked, no violations/);
  });
});
