// Dead properties in SabreDAV's `propertystorage` table, as sabre/dav's PropertyStorage plugin keeps them
// (lib/DAV/PropertyStorage/Backend/PDO.php): one row per (path, Clark name); path is the resource path
// under the server root ('calendars/alice/home', 'calendars/alice/home/x.ics'); valuetype 1 is a plain
// string, 2 XML. A property with only text is written as a string, exactly as SabreDAV would; anything
// richer as the property element's XML (SabreDAV stores only its inner XML, and so drops attributes).
import { sql } from 'kysely';
import type { ClarkName } from '../../../src/dav/xml/names.ts';
import { parseXml } from '../../../src/dav/xml/parse.ts';
import type { XmlElement } from '../../../src/dav/xml/tree.ts';
import { writeXml } from '../../../src/dav/xml/write.ts';
import type { AnyDb, SqlDialectName } from '../query/connect.ts';
import { num, str } from './rows.ts';

const VT_STRING = 1;
const VT_XML = 2;

export type PropMap = Record<string, XmlElement>;

function encode(e: XmlElement): { valuetype: number; value: string } {
  const plain = Object.keys(e.attrs).length === 0 && e.children.every((c) => typeof c === 'string');
  if (plain) return { valuetype: VT_STRING, value: e.children.join('') };
  return { valuetype: VT_XML, value: writeXml(e).replace(/^<\?xml[^>]*\?>\s*/, '') };
}

function decode(name: string, valuetype: number, value: string): XmlElement | undefined {
  if (valuetype === VT_STRING) return { name: name as ClarkName, attrs: {}, children: value ? [value] : [] };
  if (valuetype !== VT_XML) return undefined; // 3: a serialized PHP object, unreadable outside PHP
  try {
    const root = plainAttrs(parseXml(value));
    if (root.name === name) return root;
    return { name: name as ClarkName, attrs: {}, children: [root] };
  } catch {
    return { name: name as ClarkName, attrs: {}, children: [value] };
  }
}

/** Unprefixed attributes written as `{}local` by the parser are keyed `local`, as callers hand them in (same XML). */
function plainAttrs(e: XmlElement): XmlElement {
  const attrs = Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k.startsWith('{}') ? k.slice(2) : k, v]));
  return { name: e.name, attrs, children: e.children.map((c) => (typeof c === 'string' ? c : plainAttrs(c))) };
}

function param(dialect: SqlDialectName, value: string): string | Buffer {
  return dialect === 'sqlite' ? value : Buffer.from(value, 'utf8');
}

/** Dead properties of several paths in one query (missing paths map to {}). */
export async function readProps(db: AnyDb, paths: string[]): Promise<Map<string, PropMap>> {
  const out = new Map<string, PropMap>(paths.map((p) => [p, {}]));
  for (let i = 0; i < paths.length; i += 500) {
    const rows = await db
      .selectFrom('propertystorage')
      .select(['path', 'name', 'valuetype', 'value'])
      .where('path', 'in', paths.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const e = decode(str(r.name), num(r.valuetype), str(r.value));
      const m = out.get(str(r.path));
      if (e && m) m[e.name] = e;
    }
  }
  return out;
}

/** Sets (value) or removes (null) properties of one path, inside the caller's transaction. */
export async function writeProps(
  db: AnyDb,
  dialect: SqlDialectName,
  path: string,
  patch: Record<string, XmlElement | null> | undefined,
): Promise<void> {
  for (const [name, value] of Object.entries(patch ?? {})) {
    await db.deleteFrom('propertystorage').where('path', '=', path).where('name', '=', name).execute();
    if (value === null) continue;
    const { valuetype, value: v } = encode({ ...value, name: name as ClarkName });
    await db
      .insertInto('propertystorage')
      .values({ path, name, valuetype, value: param(dialect, v) })
      .execute();
  }
}

/** Removes the properties of a path and of everything below it (PropertyStorage plugin's afterUnbind). */
export async function deletePropsTree(db: AnyDb, path: string): Promise<void> {
  const like = `${path.replace(/[=%_]/g, (c) => `=${c}`)}/%`;
  await db.deleteFrom('propertystorage').where(sql<boolean>`path = ${path} OR path LIKE ${like} ESCAPE '='`).execute();
}
