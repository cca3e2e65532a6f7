// The native schema on SQLite (the embedded default), as versioned migrations (migrations.ts applies them).
import type { Migration } from './migration-types.ts';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, collections, objects, change log',
    sql: `
      CREATE TABLE users (
        name          TEXT PRIMARY KEY,
        display_name  TEXT NOT NULL,
        email         TEXT,
        password_hash TEXT NOT NULL,
        created       INTEGER NOT NULL                     -- ms since epoch
      );

      -- One global change counter: tokens are never reused, even for a deleted and recreated collection.
      CREATE TABLE change_counter (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      );
      INSERT INTO change_counter (id, value) VALUES (1, 0);

      -- cid is the rowid objects and changes point at; (owner, home, id) is the natural key.
      CREATE TABLE collections (
        cid          INTEGER PRIMARY KEY AUTOINCREMENT,
        owner        TEXT NOT NULL,
        home         TEXT NOT NULL CHECK (home IN ('calendars', 'addressbooks')),
        id           TEXT NOT NULL,                         -- slash path for nested plain collections
        kind         TEXT NOT NULL CHECK (kind IN ('calendar', 'addressbook', 'plain')),
        display_name TEXT,
        description  TEXT,
        components   TEXT,                                  -- JSON array of component names
        timezone     TEXT,
        color        TEXT,
        sort_order   INTEGER,
        dead_props   TEXT NOT NULL DEFAULT '{}',            -- JSON: Clark name -> XmlElement
        synctoken    INTEGER NOT NULL,                      -- seq of the latest change
        min_token    INTEGER NOT NULL,                      -- oldest token still answerable (raised by pruning)
        UNIQUE (owner, home, id)
      );

      CREATE TABLE objects (
        collection     INTEGER NOT NULL REFERENCES collections (cid) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        uid            TEXT,
        component_type TEXT,
        content_type   TEXT NOT NULL,
        body           BLOB NOT NULL,
        etag           TEXT NOT NULL,
        size           INTEGER NOT NULL,
        last_modified  INTEGER NOT NULL,                    -- ms since epoch
        dead_props     TEXT NOT NULL DEFAULT '{}',
        UNIQUE (collection, name)
      );
      CREATE INDEX objects_uid ON objects (collection, uid);
      -- Covering index for listObjects and sync: names and etags without reading rows that hold bodies.
      CREATE INDEX objects_list ON objects (collection, name, etag);

      -- The change log behind changesSince: one row per name holding its latest change.
      CREATE TABLE changes (
        collection INTEGER NOT NULL REFERENCES collections (cid) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        op         TEXT NOT NULL CHECK (op IN ('put', 'delete')),
        at         INTEGER NOT NULL,                        -- ms since epoch, for age-based pruning
        PRIMARY KEY (collection, name)
      ) WITHOUT ROWID;
      CREATE INDEX changes_seq ON changes (collection, seq);
    `,
  },
  {
    version: 2,
    description: 'calendar time index: instance spans per object for time-range queries and free-busy',
    sql: `
      -- What the CalDAV core computed at write time (PutInput.timeIndex): 0/1 flags and the horizon.
      ALTER TABLE objects ADD COLUMN time_indexed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE objects ADD COLUMN time_exact INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE objects ADD COLUMN time_complete_until INTEGER;      -- ms; NULL = every instance indexed

      -- One row per instance span. lo/hi fold the inclusive flags into half-open bounds (a range [S, E)
      -- matches when lo < E AND hi > S); "long" spans (> 31 days) are few and scanned apart, so short ones
      -- are found by a range scan on lo alone. exact/until repeat the object's index flags so busy time
      -- is answered from this table alone.
      CREATE TABLE object_spans (
        collection INTEGER NOT NULL,
        long       INTEGER NOT NULL,
        lo         INTEGER NOT NULL,
        name       TEXT NOT NULL,
        seq        INTEGER NOT NULL,                                     -- span number within the object
        hi         INTEGER NOT NULL,
        flags      INTEGER NOT NULL,                                     -- 1 inclStart, 2 inclEnd, 4 busyOnly
        rid        INTEGER,
        comp       INTEGER,
        busy       TEXT,
        exact      INTEGER NOT NULL,
        until      INTEGER,
        PRIMARY KEY (collection, long, lo, name, seq),                   -- clustered: a range is one contiguous read
        FOREIGN KEY (collection, name) REFERENCES objects (collection, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX object_spans_name ON object_spans (collection, name);
      -- Objects the index cannot answer: never indexed, or indexed only up to a horizon.
      CREATE INDEX objects_unindexed ON objects (collection) WHERE time_indexed = 0;
      CREATE INDEX objects_until ON objects (collection, time_complete_until) WHERE time_complete_until IS NOT NULL;
    `,
  },
];
