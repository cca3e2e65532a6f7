// Fixtures shared by the SQLite adapter tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectionRef, PutInput } from '../../src/backend/types.ts';

const enc = new TextEncoder();

export function calRef(id = 'cal', owner = 'alice'): CollectionRef {
  return { owner, home: 'calendars', id };
}

/** A minimal VEVENT (or VTODO) object carrying its UID. */
export function event(uid: string, summary = 'Meeting', component: 'VEVENT' | 'VTODO' = 'VEVENT'): PutInput {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//sql-test//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
  ];
  lines.push('DTSTAMP:20240101T000000Z', `SUMMARY:${summary}`, `END:${component}`, 'END:VCALENDAR', '');
  return {
    body: enc.encode(lines.join('\r\n')),
    contentType: 'text/calendar; charset=utf-8',
    uid,
    componentType: component,
  };
}

/** A fresh temporary directory and a function removing it. */
export function tempDir(): { dir: string; file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'davgate-sql-'));
  return {
    dir,
    file: join(dir, 'nested', 'davgate.sqlite'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
