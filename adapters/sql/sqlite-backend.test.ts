// SqlBackend object semantics: conditional writes (RFC 9110 §13.1), no-uid-conflict (RFC 4791 §5.3.2.1),
// dead properties, batched reads, query narrowing, and the mapping of store failures to 'unavailable'.
// The tests live in backend-suite.ts so PostgreSQL and MariaDB run them too (network-suite.ts).

import { backendSuite } from './backend-suite.ts';
import { openSqlite } from './open.ts';

backendSuite('sqlite', () => openSqlite(':memory:'));
