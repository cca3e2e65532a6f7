// The native schema on MySQL/MariaDB (InnoDB, utf8mb4_bin so names compare bytewise and case-sensitively
// as on SQLite): VARCHAR with lengths for indexed text (an index key holds at most 3,072 bytes, 4 per
// character), BIGINT times, AUTO_INCREMENT keys, LONGBLOB bodies, and no partial indexes.
// Names are limited to 512 characters and user names to 190 here.
import type { Migration } from './migration-types.ts';

const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, collections, objects, change log',
    sql: `
      CREATE TABLE users (
        name          VARCHAR(190) NOT NULL PRIMARY KEY,
        display_name  TEXT NOT NULL,
        email         TEXT,
        password_hash TEXT NOT NULL,
        created       BIGINT NOT NULL
      ) ${TABLE};
      CREATE TABLE change_counter (
        id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        value BIGINT NOT NULL
      ) ${TABLE};
      INSERT INTO change_counter (id, value) VALUES (1, 0);
      CREATE TABLE collections (
        cid          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        owner        VARCHAR(190) NOT NULL,
        home         VARCHAR(16) NOT NULL CHECK (home IN ('calendars', 'addressbooks')),
        id           VARCHAR(512) NOT NULL,
        kind         VARCHAR(16) NOT NULL CHECK (kind IN ('calendar', 'addressbook', 'plain')),
        display_name TEXT,
        description  TEXT,
        components   TEXT,
        timezone     MEDIUMTEXT,
        color        TEXT,
        sort_order   INTEGER,
        dead_props   MEDIUMTEXT NOT NULL DEFAULT '{}',
        synctoken    BIGINT NOT NULL,
        min_token    BIGINT NOT NULL,
        UNIQUE KEY collections_key (owner, home, id)
      ) ${TABLE};
      CREATE TABLE objects (
        collection     BIGINT NOT NULL,
        name           VARCHAR(512) NOT NULL,
        uid            VARCHAR(255),
        component_type VARCHAR(32),
        content_type   VARCHAR(255) NOT NULL,
        body           LONGBLOB NOT NULL,
        etag           VARCHAR(128) NOT NULL,
        size           BIGINT NOT NULL,
        last_modified  BIGINT NOT NULL,
        dead_props     MEDIUMTEXT NOT NULL DEFAULT '{}',
        UNIQUE KEY objects_key (collection, name),
        KEY objects_uid (collection, uid),
        KEY objects_list (collection, name, etag),
        FOREIGN KEY (collection) REFERENCES collections (cid) ON DELETE CASCADE
      ) ${TABLE};
      CREATE TABLE changes (
        collection BIGINT NOT NULL,
        name       VARCHAR(512) NOT NULL,
        seq        BIGINT NOT NULL,
        op         VARCHAR(8) NOT NULL CHECK (op IN ('put', 'delete')),
        at         BIGINT NOT NULL,
        PRIMARY KEY (collection, name),
        KEY changes_seq (collection, seq),
        FOREIGN KEY (collection) REFERENCES collections (cid) ON DELETE CASCADE
      ) ${TABLE};
    `,
  },
  {
    version: 2,
    description: 'calendar time index: instance spans per object for time-range queries and free-busy',
    sql: `
      ALTER TABLE objects ADD COLUMN time_indexed TINYINT NOT NULL DEFAULT 0,
        ADD COLUMN time_exact TINYINT NOT NULL DEFAULT 0,
        ADD COLUMN time_complete_until BIGINT,
        ADD KEY objects_unindexed (collection, time_indexed),
        ADD KEY objects_until (collection, time_complete_until);
      CREATE TABLE object_spans (
        collection BIGINT NOT NULL,
        \`long\`   TINYINT NOT NULL,
        lo         BIGINT NOT NULL,
        name       VARCHAR(512) NOT NULL,
        seq        INTEGER NOT NULL,
        hi         BIGINT NOT NULL,
        flags      INTEGER NOT NULL,
        rid        BIGINT,
        comp       INTEGER,
        busy       TEXT,
        exact      TINYINT NOT NULL,
        \`until\`  BIGINT,
        PRIMARY KEY (collection, \`long\`, lo, name, seq),
        KEY object_spans_name (collection, name),
        FOREIGN KEY (collection, name) REFERENCES objects (collection, name) ON DELETE CASCADE
      ) ${TABLE};
    `,
  },
];
