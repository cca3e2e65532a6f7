// The worked example's legacy schema (docs/sql-columns.md), as a groupware of the 2000s would have it:
// naive local datetimes, decomposed recurrence columns, attendee and exception-date tables, a
// soft-delete flag, a modified timestamp and a version counter; and a task table (due, done, state,
// percent); and contacts with e-mail and phone tables (typed, with a primary flag). One DDL per dialect.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { parseColumnsMapping } from '../../adapters/sql/columns/mapping.ts';
import type { SqlConnection } from '../../adapters/sql/query/connect.ts';

const read = (file: string) => parseColumnsMapping(readFileSync(new URL(file, import.meta.url), 'utf8'));
export const mapping = read('./appointments.yaml');
/** The second entity: tasks (VTODO) in their own `tasks` collection. */
export const taskMapping = read('./tasks.yaml');
/** Both entities, as a mapping file with `entities:` lists them. */
export const entities = [mapping, taskMapping];
/** The third entity: contacts (VCARD) in the `contacts` address book. */
export const contactMapping = read('./contacts.yaml');

export function legacyDdl(dialect: SqlConnection['dialect']): string[] {
  const id =
    dialect === 'sqlite'
      ? 'id INTEGER PRIMARY KEY AUTOINCREMENT'
      : dialect === 'postgres'
        ? 'id SERIAL PRIMARY KEY'
        : 'id INT AUTO_INCREMENT PRIMARY KEY';
  const dt = dialect === 'postgres' ? 'TIMESTAMP WITHOUT TIME ZONE' : 'DATETIME';
  const txt = dialect === 'mysql' ? 'TEXT' : 'TEXT';
  return [
    `CREATE TABLE appointments (${id}, owner VARCHAR(64) NOT NULL, uid VARCHAR(255) NOT NULL,
      title VARCHAR(255), notes ${txt}, place VARCHAR(255), private SMALLINT DEFAULT 0, status SMALLINT,
      priority SMALLINT, starts_at ${dt} NOT NULL, ends_at ${dt} NOT NULL, all_day SMALLINT DEFAULT 0,
      rec_type SMALLINT DEFAULT 0, rec_interval SMALLINT, rec_weekdays SMALLINT, rec_until ${dt}, rec_count INT,
      deleted SMALLINT DEFAULT 0 NOT NULL, modified ${dt}, version INT DEFAULT 1 NOT NULL)`,
    `CREATE TABLE appointment_attendees (appointment_id INT NOT NULL, email VARCHAR(255) NOT NULL,
      name VARCHAR(255), response SMALLINT DEFAULT 0)`,
    `CREATE TABLE appointment_exdates (appointment_id INT NOT NULL, exdate ${dt} NOT NULL)`,
    `CREATE TABLE tasks (${id}, owner VARCHAR(64) NOT NULL, uid VARCHAR(255) NOT NULL, subject VARCHAR(255),
      details ${txt}, state SMALLINT DEFAULT 0 NOT NULL, prio SMALLINT, percent SMALLINT, start_on ${dt},
      due_at ${dt}, done_at ${dt}, deleted SMALLINT DEFAULT 0 NOT NULL, modified ${dt}, version INT DEFAULT 1 NOT NULL)`,
    `CREATE TABLE contacts (${id}, owner VARCHAR(64) NOT NULL, uid VARCHAR(255) NOT NULL,
      display_name VARCHAR(255), last_name VARCHAR(100), first_name VARCHAR(100), middle_name VARCHAR(100),
      name_prefix VARCHAR(30), name_suffix VARCHAR(30), company VARCHAR(255), job_title VARCHAR(255),
      notes ${txt}, birthday DATE, website VARCHAR(255), street VARCHAR(255), city VARCHAR(100),
      region VARCHAR(100), zip VARCHAR(20), country VARCHAR(100), vcard_extra ${dialect === 'mysql' ? 'MEDIUMTEXT' : 'TEXT'},
      deleted SMALLINT DEFAULT 0 NOT NULL, modified ${dt}, version INT DEFAULT 1 NOT NULL)`,
    `CREATE TABLE contact_emails (contact_id INT NOT NULL, address VARCHAR(255) NOT NULL, kind CHAR(1),
      is_primary SMALLINT DEFAULT 0 NOT NULL)`,
    `CREATE TABLE contact_phones (contact_id INT NOT NULL, number VARCHAR(64) NOT NULL, kind CHAR(1),
      is_primary SMALLINT DEFAULT 0 NOT NULL)`,
  ];
}

export async function createLegacySchema(conn: SqlConnection): Promise<void> {
  for (const s of legacyDdl(conn.dialect)) await sql.raw(s).execute(conn.db);
}
