// The SQLite change feed behind sync-collection (RFC 6578 §3): initial sync, deltas with each name once in
// its latest state, token validation, pruning, and tokens never reused across a recreated collection.
// The tests live in changes-suite.ts so PostgreSQL and MariaDB run them too (network-suite.ts).

import { changesSuite } from './changes-suite.ts';
import { openSqlite } from './open.ts';

changesSuite('sqlite', () => openSqlite(':memory:'));
