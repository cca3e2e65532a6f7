// SqlUserStore: the embedded default's users (src/auth/user-store.ts) on the SQLite database.
// The tests live in user-store-suite.ts so PostgreSQL and MariaDB run them too (network-suite.ts).
import { openSqlite } from './open.ts';
import { userStoreSuite } from './user-store-suite.ts';

userStoreSuite('sqlite', () => openSqlite(':memory:'));
