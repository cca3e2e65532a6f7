// The mapping file forms (one entity, or `entities:`) and the VTODO/VEVENT rules, each error naming its key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseColumnsMapping, parseColumnsMappingFile } from './mapping.ts';

const yaml = (f: string) => parse(readFileSync(new URL(`../../../test/columns/${f}`, import.meta.url), 'utf8'));
const appointments = yaml('appointments.yaml');
const tasks = yaml('tasks.yaml');

describe('columns mapping file', () => {
  it('one entity or `entities:` listing several', () => {
    assert.deepEqual(
      parseColumnsMappingFile(appointments).map((m) => [m.table, m.component]),
      [['appointments', 'VEVENT']],
    );
    const both = parseColumnsMappingFile({ entities: [appointments, tasks] });
    assert.deepEqual(
      both.map((m) => [m.table, m.component, m.scope.calendar?.id]),
      [
        ['appointments', 'VEVENT', 'calendar'],
        ['tasks', 'VTODO', 'tasks'],
      ],
    );
  });

  it('two entities on one collection id are refused, naming the entity', () => {
    const clash = { ...tasks, scope: { ...tasks.scope, calendar: { id: 'calendar' } } };
    assert.throws(
      () => parseColumnsMappingFile({ entities: [appointments, clash] }),
      /entities\.1\.scope: collection calendar/,
    );
  });

  it('RFC 5545 §3.6.1/§3.6.2: events need start and end; tasks have due, not end; COMPLETED only as datetime', () => {
    const { end: _e, ...noEnd } = appointments;
    assert.throws(() => parseColumnsMapping(noEnd), /\n {2}end: an event \(VEVENT\) mapping needs an end column/);
    assert.throws(() => parseColumnsMapping({ ...tasks, end: { column: 'x' } }), /end: a task \(VTODO\) has DUE/);
    assert.throws(() => parseColumnsMapping({ ...appointments, due: { column: 'x' } }), /due: DUE belongs to tasks/);
    const bad = { ...tasks, fields: { ...tasks.fields, SUMMARY: { type: 'datetime', column: 'subject' } } };
    assert.throws(() => parseColumnsMapping(bad), /fields\.SUMMARY: only COMPLETED is a datetime field/);
    const { start: _s, ...noStart } = tasks;
    assert.equal(parseColumnsMapping(noStart).start, undefined);
  });

  it('extras: a column, or a store (side-table, the default, or state), never both', () => {
    assert.equal(parseColumnsMapping({ ...appointments, extras: { store: 'state' } }).extras?.store, 'state');
    assert.equal(parseColumnsMapping({ ...appointments, extras: { column: 'notes' } }).extras?.column, 'notes');
    assert.throws(
      () => parseColumnsMapping({ ...appointments, extras: { column: 'notes', store: 'state' } }),
      /\n {2}extras\.store: give either `extras\.column` \(a column of the table\) or `extras\.store`/,
    );
    assert.throws(() => parseColumnsMapping({ ...appointments, extras: { store: 'redis' } }), /\n {2}extras\.store: /);
    assert.throws(() => parseColumnsMapping({ ...appointments, extras: {} }), /\n {2}extras: give `column` or `store`/);
  });
});
