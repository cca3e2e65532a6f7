// Shared plumbing for the backend contract suite: subjects, capability gates, fixtures and assertions.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { type Backend, BackendError } from '../../src/backend/port.ts';
import type { CollectionKind, CollectionRef, HomeKind, ObjectRef, PutInput } from '../../src/backend/types.ts';
import type { ClarkName } from '../../src/dav/xml/names.ts';
import type { XmlElement } from '../../src/dav/xml/tree.ts';

/** What an adapter's test hands to the suite: a fresh, empty backend and how to dispose of it. */
export interface ContractSubject {
  backend: Backend;
  cleanup(): Promise<void>;
  /** Owner whose homes the suite uses (default 'contract-user'). */
  owner?: string;
  /**
   * For backends without `admin`: an existing, empty, writable calendar collection of `owner` the
   * object tests may use. Without `admin` and without this, those tests are skipped.
   */
  collection?: CollectionRef;
  /**
   * The fixture `collection` only holds calendar data (e.g. rows of a column-mapped legacy table): tests
   * that store arbitrary media types there (binary bodies) are skipped with that reason.
   */
  calendarDataOnly?: true;
  /**
   * The collection kinds `admin` can create (default: all). A SabreDAV database, for one, has tables for
   * calendars and address books only: tests of plain (and nested plain) collections are skipped with that reason.
   */
  collectionKinds?: CollectionKind[];
  /**
   * The fixture `collection` is an address book holding vCards only (e.g. a column-mapped contacts table):
   * object tests store vCards (`fixture`), whose FN carries the summary, and expect text/vcard back.
   */
  addressDataOnly?: true;
}

export type ContractFactory = () => Promise<ContractSubject>;

export const DEFAULT_OWNER = 'contract-user';

/** Runs `fn` against a fresh subject and always cleans up. */
export async function withSubject(
  factory: ContractFactory,
  fn: (s: ContractSubject & { owner: string }) => Promise<void>,
): Promise<void> {
  const s = await factory();
  try {
    await fn({ ...s, owner: s.owner ?? DEFAULT_OWNER });
  } finally {
    await s.cleanup();
  }
}

/** Skips the test (with the reason) unless the backend has collection admin; returns the admin if present. */
export function needAdmin(t: TestContext, b: Backend): NonNullable<Backend['admin']> | undefined {
  if (!b.admin) t.skip(`${b.id} has no collection admin`);
  return b.admin;
}

/** Skips the test (with the reason) unless the subject's admin can create collections of `kind`. */
export function needKind(
  t: TestContext,
  s: Pick<ContractSubject, 'backend' | 'collectionKinds'>,
  kind: CollectionKind,
): boolean {
  if (!s.collectionKinds || s.collectionKinds.includes(kind)) return true;
  t.skip(`${s.backend.id} creates no ${kind} collections (collectionKinds: ${s.collectionKinds.join(', ')})`);
  return false;
}

/**
 * A writable calendar collection for object tests: created through `admin` when available, else the
 * subject's fixture collection; undefined (test skipped) when neither exists or the backend is read-only.
 */
export async function writableCalendar(
  t: TestContext,
  s: ContractSubject & { owner: string },
  id = 'contract-cal',
): Promise<CollectionRef | undefined> {
  if (s.backend.readonly) {
    t.skip(`${s.backend.id} is read-only`);
    return undefined;
  }
  if (s.backend.admin) {
    const ref: CollectionRef = { owner: s.owner, home: 'calendars', id };
    await s.backend.admin.createCollection(ref, 'calendar', { displayName: 'Contract' });
    return ref;
  }
  if (s.collection) return s.collection;
  t.skip(`${s.backend.id} has no admin and the subject provides no collection`);
  return undefined;
}

export function ref(owner: string, id: string, home: HomeKind = 'calendars'): CollectionRef {
  return { owner, home, id };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export const text = (b: Uint8Array): string => dec.decode(b);

/** A minimal valid VEVENT object with the given UID and summary. */
export function ics(uid: string, summary = 'Meeting'): PutInput {
  const body = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davgate//contract//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    'DTSTART:20240102T100000Z',
    'DTEND:20240102T110000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { body: enc.encode(body), contentType: 'text/calendar; charset=utf-8', uid, componentType: 'VEVENT' };
}

/** A minimal valid vCard 4.0 with the given UID; FN carries the summary. */
export function vcard(uid: string, summary = 'Meeting'): PutInput {
  const body = ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${summary}`, 'END:VCARD', ''].join('\r\n');
  return { body: enc.encode(body), contentType: 'text/vcard; charset=utf-8', uid };
}

/** The object fixture the subject's collection holds: a vCard for `addressDataOnly`, else a VEVENT. */
export const fixture = (s: Pick<ContractSubject, 'addressDataOnly'>, uid: string, summary?: string): PutInput =>
  s.addressDataOnly ? vcard(uid, summary) : ics(uid, summary);

/** The summary as the fixture writes it (SUMMARY of the VEVENT, FN of the vCard). */
export const summaryLine = (summary: string): RegExp => new RegExp(`(SUMMARY|FN):${summary}\\r?\\n`);

export function xml(name: string, content: string, attrs: Record<string, string> = {}): XmlElement {
  return { name: name as ClarkName, attrs, children: [content] };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export async function listed(b: Backend, r: CollectionRef): Promise<Map<string, string>> {
  return new Map((await collect(b.listObjects(r))).map((o: ObjectRef) => [o.name, o.etag]));
}

/** Asserts the promise rejects with a BackendError whose code is one of `codes`. */
export async function rejectsWith(p: Promise<unknown>, ...codes: BackendError['code'][]): Promise<BackendError> {
  let caught: unknown;
  await assert.rejects(p, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof BackendError, `expected BackendError, got ${String(caught)}`);
  assert.ok(codes.includes(caught.code), `expected code ${codes.join('|')}, got ${caught.code}: ${caught.message}`);
  return caught;
}
